using System.Diagnostics;
using System.Net.Security;
using System.Text;

namespace Berth.TestKit;

/// <summary>
/// A real <c>berth serve</c> process on 127.0.0.1 and a free port, configured by REGISTRY_* variables (and an
/// optional config file). Start waits until <c>/v2/</c> answers; dispose stops the process.
/// </summary>
public sealed class BerthProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Func<HttpMessageHandler>? _tlsHandler;
    private readonly string? _unixSocket;

    private BerthProcess(Process process, int port, Func<HttpMessageHandler>? tlsHandler, string? unixSocket)
    {
        _process = process;
        Port = port;
        _tlsHandler = tlsHandler;
        _unixSocket = unixSocket;
        var scheme = tlsHandler is null ? "http" : "https";
        BaseUri = new Uri(unixSocket is null ? $"{scheme}://127.0.0.1:{port}/" : $"{scheme}://localhost/");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    /// <summary>The TCP port; 0 when berth listens on a unix socket.</summary>
    public int Port { get; }

    public Uri BaseUri { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image references spell the registry.</summary>
    public string HostPort => $"127.0.0.1:{Port}";

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The server's process id, to look at it in <c>/proc</c>.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Where the berth executable was built beside the test assembly.</summary>
    public static string BerthDll => Path.Combine(AppContext.BaseDirectory, "berth.dll");

    /// <summary>Starts berth with <paramref name="rootDirectory"/> as filesystem storage root, unless <paramref name="environment"/> sets REGISTRY_STORAGE.</summary>
    public static Task<BerthProcess> StartAsync(string rootDirectory, IReadOnlyDictionary<string, string>? environment = null,
        string? configFile = null, CancellationToken cancellationToken = default) =>
        StartCoreAsync(rootDirectory, environment, configFile, tlsHandler: null, cancellationToken);

    /// <summary>Starts berth with no filesystem root: the storage section comes from <paramref name="environment"/> alone.</summary>
    public static Task<BerthProcess> StartWithStorageAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default) =>
        StartCoreAsync(rootDirectory: null, environment, configFile: null, tlsHandler: null, cancellationToken);

    /// <summary>
    /// Starts berth serving HTTPS (the REGISTRY_HTTP_TLS_* variables are in <paramref name="environment"/>);
    /// <see cref="BaseUri"/> is https. The readiness probe uses a handler from <paramref name="tlsHandler"/>,
    /// which must trust the server's certificate (and present a client certificate when mutual TLS is on).
    /// </summary>
    /// <param name="serveOptions">Options of <c>berth serve</c> before the config file, such as <c>--user 1654</c>.</param>
    public static Task<BerthProcess> StartTlsAsync(string rootDirectory, Func<HttpMessageHandler> tlsHandler,
        IReadOnlyDictionary<string, string>? environment = null, string? configFile = null, IReadOnlyList<string>? serveOptions = null,
        CancellationToken cancellationToken = default) =>
        StartCoreAsync(rootDirectory, environment, configFile, tlsHandler, cancellationToken, serveOptions);

    /// <summary>
    /// Starts berth listening on the unix socket <paramref name="socketPath"/> (<c>http.net: unix</c>) instead of a port.
    /// <see cref="BaseUri"/> is <c>http://localhost/</c> (https with <paramref name="tls"/>); requests reach the server
    /// through <see cref="UnixSocketHttp.Handler"/>.
    /// </summary>
    /// <param name="tls">When the REGISTRY_HTTP_TLS_* variables are set: the readiness probe's TLS options.</param>
    public static Task<BerthProcess> StartUnixSocketAsync(string rootDirectory, string socketPath,
        IReadOnlyDictionary<string, string>? environment = null, SslClientAuthenticationOptions? tls = null,
        CancellationToken cancellationToken = default)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["REGISTRY_HTTP_NET"] = "unix",
            ["REGISTRY_HTTP_ADDR"] = socketPath,
        };
        Func<HttpMessageHandler>? tlsHandler = tls is null ? null : () => UnixSocketHttp.Handler(socketPath, tls);
        return StartCoreAsync(rootDirectory, variables, configFile: null, tlsHandler, cancellationToken, unixSocket: socketPath);
    }

    private static async Task<BerthProcess> StartCoreAsync(string? rootDirectory, IReadOnlyDictionary<string, string>? environment,
        string? configFile, Func<HttpMessageHandler>? tlsHandler, CancellationToken cancellationToken, IReadOnlyList<string>? serveOptions = null,
        string? unixSocket = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var berth = Launch(port, rootDirectory, environment, configFile, tlsHandler, serveOptions ?? [], unixSocket);
            try
            {
                await berth.WaitUntilReadyAsync(cancellationToken);
                return berth;
            }
            catch (InvalidOperationException) when (attempt < 3 && berth.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await berth.DisposeAsync();
            }
            catch
            {
                await berth.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Runs berth to completion (for CLI tests): exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var process = new Process { StartInfo = StartInfo(arguments, environment) };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("berth " + string.Join(' ', arguments) + " did not exit:\n" + output);
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Stops the process with SIGTERM, as docker stop does, and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the process with SIGKILL, as a crash or an OOM kill does: nothing of berth runs after it. Waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static BerthProcess Launch(int port, string? rootDirectory, IReadOnlyDictionary<string, string>? environment, string? configFile,
        Func<HttpMessageHandler>? tlsHandler, IReadOnlyList<string> serveOptions, string? unixSocket)
    {
        var variables = new Dictionary<string, string> { ["REGISTRY_HTTP_ADDR"] = $"127.0.0.1:{port}" };
        if (rootDirectory is not null && environment?.ContainsKey("REGISTRY_STORAGE") != true)
        {
            // Only for the filesystem driver: with REGISTRY_STORAGE=<driver> it would add a second driver.
            variables["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = rootDirectory;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        string[] arguments = configFile is null ? ["serve", .. serveOptions] : ["serve", .. serveOptions, configFile];
        var process = new Process { StartInfo = StartInfo(arguments, variables) };
        var berth = new BerthProcess(process, unixSocket is null ? port : 0, tlsHandler, unixSocket);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return berth;
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(BerthDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Tests must not inherit a developer's registry settings, nor the machine's AWS_* ones (the S3 driver's SDK reads them).
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = _tlsHandler is not null ? new HttpClient(_tlsHandler(), disposeHandler: true)
            : _unixSocket is not null ? new HttpClient(UnixSocketHttp.Handler(_unixSocket), disposeHandler: true)
            : new HttpClient();
        http.Timeout = TimeSpan.FromSeconds(5);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"berth exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "v2/"), cancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One slow answer while the process warms up; ask again.
            }
        }

        throw new InvalidOperationException($"berth did not answer on {BaseUri} within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
