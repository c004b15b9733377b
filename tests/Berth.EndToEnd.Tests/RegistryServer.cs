using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// A registry server under test: a real <c>berth serve</c>, or Debian's docker-registry for the interoperability
/// tests. Dispose stops it and writes its log to the test output, so a failing test shows what the server said.
/// Setting BERTH_E2E_SERVER=docker-registry runs the Berth tests against the reference registry instead: a check
/// that a test itself is right, which is how these tests were validated before the server existed.
/// </summary>
internal sealed class RegistryServer : IAsyncDisposable
{
    private readonly Func<Task> _stop;
    private readonly Func<ValueTask> _dispose;
    private readonly Func<string> _output;
    private bool _logged;

    private RegistryServer(string name, string hostPort, Uri baseUri, Func<Task> stop, Func<ValueTask> dispose, Func<string> output)
    {
        Name = name;
        HostPort = hostPort;
        BaseUri = baseUri;
        _stop = stop;
        _dispose = dispose;
        _output = output;
    }

    public string Name { get; }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string HostPort { get; }

    public Uri BaseUri { get; }

    public string Output => _output();

    private static bool UseReference =>
        Environment.GetEnvironmentVariable("BERTH_E2E_SERVER") is "docker-registry";

    /// <summary>Starts berth on <paramref name="rootDirectory"/>; deletion is enabled when asked.</summary>
    public static async Task<RegistryServer> StartBerthAsync(string rootDirectory, bool deleteEnabled = false)
    {
        if (UseReference)
        {
            return await StartDistributionAsync(rootDirectory);
        }

        var environment = new Dictionary<string, string>();
        if (deleteEnabled)
        {
            environment["REGISTRY_STORAGE_DELETE_ENABLED"] = "true";
        }

        var berth = await BerthProcess.StartAsync(rootDirectory, environment, cancellationToken: TestContext.Current.CancellationToken);
        return new RegistryServer("berth", berth.HostPort, berth.BaseUri, () => berth.StopAsync(), berth.DisposeAsync, () => berth.Output);
    }

    /// <summary>Starts berth with the storage section given by <paramref name="environment"/> alone (an object store).</summary>
    public static async Task<RegistryServer> StartBerthOnStorageAsync(IReadOnlyDictionary<string, string> environment)
    {
        var berth = await BerthProcess.StartWithStorageAsync(environment, TestContext.Current.CancellationToken);
        return new RegistryServer("berth", berth.HostPort, berth.BaseUri, () => berth.StopAsync(), berth.DisposeAsync, () => berth.Output);
    }

    /// <summary>Starts the reference registry (deletion enabled) on <paramref name="rootDirectory"/>.</summary>
    public static async Task<RegistryServer> StartDistributionAsync(string rootDirectory) =>
        Of(await DockerRegistryProcess.StartAsync(rootDirectory, TestContext.Current.CancellationToken));

    /// <summary>A started reference registry (on a folder or a bucket).</summary>
    public static RegistryServer Of(DockerRegistryProcess registry) =>
        new("docker-registry", registry.HostPort, registry.BaseUri, registry.StopAsync, registry.DisposeAsync, () => registry.Output);

    /// <summary>A skopeo reference into this registry: <c>docker://HOST:PORT/NAME</c>.</summary>
    public string Docker(string nameAndReference) => $"docker://{HostPort}/{nameAndReference}";

    /// <summary>Stops the server (SIGTERM) but keeps its log for the test output.</summary>
    public async Task StopAsync()
    {
        await _stop();
        WriteLog();
    }

    public async ValueTask DisposeAsync()
    {
        await _dispose();
        WriteLog();
    }

    private void WriteLog()
    {
        if (_logged)
        {
            return;
        }

        _logged = true;
        TestContext.Current.TestOutputHelper?.WriteLine($"----- {Name} on {HostPort} logged -----\n{Output}");
    }
}
