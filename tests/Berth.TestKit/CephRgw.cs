using System.Globalization;

namespace Berth.TestKit;

/// <summary>
/// A real S3 server for tests: Ceph's RADOS Gateway over one monitor and one in-memory OSD, started by
/// <c>scripts/ceph-rgw.sh</c> into a temp folder on free ports (several run side by side). Logs stay in
/// <see cref="LogDirectory"/>; a failed start reports their tails. Buckets are made through the script (curl with
/// SigV4), so the TestKit needs no AWS SDK, and the driver under test finds the bucket there as registry:2 expects.
/// </summary>
public sealed class CephRgw : IAsyncDisposable
{
    private static readonly CommandOptions ScriptOptions = new() { Timeout = TimeSpan.FromMinutes(4) };
    private readonly TempDirectory _directory;

    private CephRgw(TempDirectory directory)
    {
        _directory = directory;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, the gateway's S3 endpoint (path-style).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public string AccessKey { get; private set; } = "";

    public string SecretKey { get; private set; } = "";

    public string Directory => _directory.Path;

    public string LogDirectory => _directory.Combine("log");

    /// <summary>The script that starts and stops the services, found by walking up from the test assembly.</summary>
    public static string Script => RepositoryFiles.Find(Path.Combine("scripts", "ceph-rgw.sh"));

    public static async Task<CephRgw> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var rgw = new CephRgw(new TempDirectory("berth-rgw"));
        try
        {
            await rgw.StartAsync(cancellationToken);
            return rgw;
        }
        catch
        {
            await rgw.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts mon, OSD and gateway (again) on the same ports and keys; the data of an earlier run is gone.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await RunScriptAsync(["start", Directory], cancellationToken);
        var values = File.ReadAllLines(Path.Combine(Directory, "env"))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        Endpoint = new Uri(values["endpoint"]);
        AccessKey = values["access_key"];
        SecretKey = values["secret_key"];
    }

    /// <summary>Stops all three services (the OSD takes ~5 s); its in-memory data is lost.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => RunScriptAsync(["stop", Directory], cancellationToken);

    /// <summary>Stops only radosgw: S3 stops answering, the data stays in the running OSD.</summary>
    public Task StopGatewayAsync(CancellationToken cancellationToken = default) => RunScriptAsync(["stop-gateway", Directory], cancellationToken);

    /// <summary>Starts radosgw again on the same port and data; returns once S3 answers.</summary>
    public Task StartGatewayAsync(CancellationToken cancellationToken = default) => RunScriptAsync(["start-gateway", Directory], cancellationToken);

    /// <summary>Creates a bucket owned by the test user (names need 3-63 lower-case characters); an existing one is kept.</summary>
    public Task CreateBucketAsync(string name, CancellationToken cancellationToken = default) =>
        RunScriptAsync(["bucket", Directory, name], cancellationToken);

    /// <summary>
    /// berth's (and registry:2's) REGISTRY_* variables for <paramref name="bucket"/> below <paramref name="rootDirectory"/>,
    /// as a user would write them.
    /// </summary>
    public Dictionary<string, string> RegistryEnvironment(string bucket, string rootDirectory) => new()
    {
        ["REGISTRY_STORAGE"] = "s3",
        ["REGISTRY_STORAGE_S3_REGION"] = "us-east-1",
        ["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = Endpoint.GetLeftPart(UriPartial.Authority),
        ["REGISTRY_STORAGE_S3_BUCKET"] = bucket,
        ["REGISTRY_STORAGE_S3_ROOTDIRECTORY"] = rootDirectory,
        ["REGISTRY_STORAGE_S3_ACCESSKEY"] = AccessKey,
        ["REGISTRY_STORAGE_S3_SECRETKEY"] = SecretKey,
        ["REGISTRY_STORAGE_S3_SECURE"] = "false",
    };

    /// <summary>The name of an rclone remote for this gateway, defined by <see cref="RcloneEnvironment"/>.</summary>
    public const string RcloneRemote = "rgw";

    /// <summary>rclone's variables that define <see cref="RcloneRemote"/> (an S3 remote of provider Ceph) with the test user's keys.</summary>
    public Dictionary<string, string> RcloneEnvironment => new()
    {
        ["RCLONE_CONFIG_RGW_TYPE"] = "s3",
        ["RCLONE_CONFIG_RGW_PROVIDER"] = "Ceph",
        ["RCLONE_CONFIG_RGW_ENDPOINT"] = Endpoint.GetLeftPart(UriPartial.Authority),
        ["RCLONE_CONFIG_RGW_ACCESS_KEY_ID"] = AccessKey,
        ["RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY"] = SecretKey,
        ["RCLONE_CONFIG_RGW_ENV_AUTH"] = "false",
        // The machine may carry AWS_CA_BUNDLE, which rclone's S3 client refuses to combine with its own transport.
        ["AWS_CA_BUNDLE"] = "",
    };

    /// <summary>A bucket name no other test uses.</summary>
    public static string UniqueBucketName(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{Guid.NewGuid():N}")[..Math.Min(63, prefix.Length + 33)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None);
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private static async Task RunScriptAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync("bash", [Script, .. arguments], ScriptOptions, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ceph-rgw.sh {string.Join(' ', arguments)} failed:\n{result.Describe()}");
        }
    }
}
