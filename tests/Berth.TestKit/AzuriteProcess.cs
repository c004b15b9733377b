using System.Globalization;
using System.Net.Sockets;

namespace Berth.TestKit;

/// <summary>
/// Azurite's blob service (npm <c>azurite</c>, installed by scripts/test.sh) on 127.0.0.1 and a free port, its data
/// in a temp folder. It answers as the emulator's well-known development account. <see cref="StopAsync"/> and
/// <see cref="RestartAsync"/> stop and start it on the same port and data, for tests of an object
/// store that goes away; dispose stops it and deletes the data.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The emulator's account, the same in every Azurite.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>
    /// The emulator's published account key (Microsoft documents it for Azurite and the storage emulator; it signs
    /// nothing outside a test machine).
    /// </summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new("berth-azurite");
    private BackgroundProcess? _process;

    private AzuriteProcess(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The account's blob endpoint, <c>http://127.0.0.1:PORT/devstoreaccount1</c> (registry:3's <c>serviceurl</c>).</summary>
    public Uri ServiceUri => new($"http://127.0.0.1:{Port}/{AccountName}");

    /// <summary>A storage connection string for SDK clients in tests.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={ServiceUri};";

    /// <summary>What Azurite printed (its access log is off: <c>--silent</c>), for failure messages.</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>berth's REGISTRY_* variables for <paramref name="container"/> on this Azurite, with the dev account's key.</summary>
    public Dictionary<string, string> RegistryEnvironment(string container) => new()
    {
        ["REGISTRY_STORAGE"] = "azure",
        ["REGISTRY_STORAGE_AZURE_ACCOUNTNAME"] = AccountName,
        ["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"] = AccountKey,
        ["REGISTRY_STORAGE_AZURE_CONTAINER"] = container,
        ["REGISTRY_STORAGE_AZURE_SERVICEURL"] = ServiceUri.ToString(),
    };

    public static async Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var azurite = new AzuriteProcess(FreePort.Next());
            try
            {
                await azurite.RestartAsync(cancellationToken);
                return azurite;
            }
            catch (InvalidOperationException) when (attempt < 3 && azurite.Output.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                await azurite.DisposeAsync();
            }
            catch
            {
                await azurite.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts it (again, after <see cref="StopAsync"/>) on the same port and data, and waits until it accepts connections.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("azurite is already running");
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = BackgroundProcess.Start(Tools.Require("azurite-blob", "azurite (npm)"),
        [
            "--blobHost", "127.0.0.1",
            "--blobPort", Port.ToString(CultureInfo.InvariantCulture),
            "--location", _data.Path,
            "--loose",
            "--skipApiVersionCheck",
            "--disableTelemetry",
            "--silent",
        ]);
        await Readiness.WaitAsync(_process, "azurite", StartTimeout, AcceptsConnectionsAsync, cancellationToken);
    }

    /// <summary>Stops it (SIGTERM, so it saves its metadata); the data folder stays for the next start.</summary>
    public Task StopAsync() => _process?.StopAsync(TimeSpan.FromSeconds(15)) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
        finally
        {
            _data.Dispose();
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
