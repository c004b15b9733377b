using System.Globalization;

namespace Berth.TestKit;

/// <summary>
/// The reference registry (Debian's docker-registry, CNCF Distribution 2.8) on 127.0.0.1 and a free port, serving a
/// given root folder (or an S3 bucket) with deletion enabled. Start waits until <c>/v2/</c> answers; dispose stops it.
/// </summary>
public sealed class DockerRegistryProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly BackgroundProcess _process;
    private readonly TempDirectory _configDirectory;

    private DockerRegistryProcess(BackgroundProcess process, TempDirectory configDirectory, int port)
    {
        _process = process;
        _configDirectory = configDirectory;
        Port = port;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri BaseUri { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image references spell the registry.</summary>
    public string HostPort => $"127.0.0.1:{Port}";

    public string Output => _process.Output;

    public static Task<DockerRegistryProcess> StartAsync(string rootDirectory, CancellationToken cancellationToken = default) =>
        StartCoreAsync(FilesystemSection(rootDirectory), cancellationToken);

    /// <summary>
    /// Serves <paramref name="rootDirectory"/> behind registry:2's <c>auth</c> section, given as YAML indented by two
    /// spaces (<c>  htpasswd:</c> ... or <c>  token:</c> ...): an upstream that asks for credentials.
    /// </summary>
    public static Task<DockerRegistryProcess> StartWithAuthAsync(string rootDirectory, string authSection, CancellationToken cancellationToken = default) =>
        StartCoreAsync(FilesystemSection(rootDirectory), cancellationToken, authSection);

    private static string FilesystemSection(string rootDirectory) => $"""
          filesystem:
            rootdirectory: {rootDirectory}
        """;

    /// <summary>
    /// Serves <paramref name="bucket"/> on an S3 server with registry:2's s3 driver (path-style, since an endpoint is
    /// given), below <paramref name="rootDirectory"/>.
    /// </summary>
    public static Task<DockerRegistryProcess> StartS3Async(Uri endpoint, string accessKey, string secretKey, string bucket,
        string rootDirectory, CancellationToken cancellationToken = default) =>
        StartCoreAsync($"""
              s3:
                region: us-east-1
                regionendpoint: {endpoint.GetLeftPart(UriPartial.Authority)}
                bucket: {bucket}
                rootdirectory: {rootDirectory}
                accesskey: {accessKey}
                secretkey: {secretKey}
                secure: false
            """, cancellationToken);

    private static async Task<DockerRegistryProcess> StartCoreAsync(string storageSection, CancellationToken cancellationToken,
        string? authSection = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var registry = Launch(FreePort.Next(), storageSection, authSection);
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                await Readiness.WaitAsync(registry._process, "docker-registry", StartTimeout,
                    ct => Readiness.AnswersV2Async(http, registry.BaseUri, ct), cancellationToken);
                return registry;
            }
            catch (InvalidOperationException) when (attempt < 3 && registry.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await registry.DisposeAsync();
            }
            catch
            {
                await registry.DisposeAsync();
                throw;
            }
        }
    }

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.DisposeAsync();
        }
        finally
        {
            _configDirectory.Dispose();
        }
    }

    private static DockerRegistryProcess Launch(int port, string storageSection, string? authSection)
    {
        var configDirectory = new TempDirectory("berth-distribution");
        var configFile = configDirectory.Combine("config.yml");
        File.WriteAllText(configFile, string.Create(CultureInfo.InvariantCulture, $"""
            version: 0.1
            log:
              level: info
            storage:
            {storageSection}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """) + (authSection is null ? "" : "\nauth:\n" + authSection + "\n"));
        // Its REGISTRY_* overrides would beat the file, and the machine's AWS_* settings would reach its S3 client:
        // start from a clean slate.
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(key => key.StartsWith("REGISTRY_", StringComparison.Ordinal) || key.StartsWith("AWS_", StringComparison.Ordinal))
            .ToDictionary(key => key, _ => (string?)null);
        var process = BackgroundProcess.Start(Tools.DockerRegistry, ["serve", configFile], environment);
        return new DockerRegistryProcess(process, configDirectory, port);
    }
}
