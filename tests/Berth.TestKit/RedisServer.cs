using System.Globalization;

namespace Berth.TestKit;

/// <summary>
/// A real redis-server on 127.0.0.1 and a free port, without persistence (<c>--save '' --appendonly no</c>), its output
/// kept for failure messages. <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> take it away and bring it
/// back on the same port, empty, as a restart without persistence does. With TLS, the port speaks TLS only and asks
/// for a client certificate from the same CA.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _folder;
    private readonly IReadOnlyList<string> _arguments;
    private BackgroundProcess? _process;

    private RedisServer(TempDirectory folder, int port, RedisServerTls? tls, IReadOnlyList<string> arguments)
    {
        _folder = folder;
        Port = port;
        Tls = tls;
        _arguments = arguments;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as <c>redis.addr</c> takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The CA and client certificate, when the server speaks TLS.</summary>
    public RedisServerTls? Tls { get; }

    /// <summary>Everything the server printed so far.</summary>
    public string Output => _process?.Output ?? "";

    /// <param name="tls">Serve TLS only, with certificates from a test CA made in the server's folder.</param>
    /// <param name="extraArguments">More redis-server options, such as <c>--maxmemory-policy allkeys-lru</c>.</param>
    public static async Task<RedisServer> StartAsync(bool tls = false, IReadOnlyList<string>? extraArguments = null,
        CancellationToken cancellationToken = default)
    {
        var folder = new TempDirectory("berth-redis");
        var port = FreePort.Next();
        var arguments = new List<string> { "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", folder.Path };
        RedisServerTls? files = null;
        if (tls)
        {
            var ca = await TestCertificateAuthority.CreateAsync(folder.Combine("tls"), cancellationToken);
            var server = await ca.IssueAsync("redis-server", cancellationToken);
            var client = await ca.IssueAsync("berth-client", cancellationToken);
            files = new RedisServerTls(ca.CertificateFile, client.Certificate, client.Key);
            arguments.AddRange(["--port", "0", "--tls-port", port.ToString(CultureInfo.InvariantCulture), "--tls-cert-file", server.Certificate,
                "--tls-key-file", server.Key, "--tls-ca-cert-file", ca.CertificateFile, "--tls-auth-clients", "yes"]);
        }
        else
        {
            arguments.AddRange(["--port", port.ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(extraArguments ?? []);
        var redis = new RedisServer(folder, port, files, arguments);
        await redis.StartAgainAsync(cancellationToken);
        return redis;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        _process = BackgroundProcess.Start(Tools.Require("redis-server", "redis-server"), _arguments);
        await Readiness.WaitAsync(_process, "redis-server", StartTimeout, async ct => (await CliAsync(["PING"], ct)).Trim() == "PONG", cancellationToken);
    }

    /// <summary>SIGTERM and wait: from here connections are refused on the port.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(10));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Runs redis-cli against the server (over TLS with the client certificate when on); its standard output.</summary>
    public async Task<string> CliAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        var arguments = new List<string> { "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture) };
        if (Tls is { } tls)
        {
            arguments.AddRange(["--tls", "--cacert", tls.CaCertificate, "--cert", tls.ClientCertificate, "--key", tls.ClientKey]);
        }

        var result = await CommandRunner.RunAsync(Tools.Require("redis-cli", "redis-tools"), [.. arguments, .. command], cancellationToken: cancellationToken);
        return result.StandardOutput;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }
}

/// <summary>The files a client needs to reach a TLS <see cref="RedisServer"/>: the CA, and a client certificate and key.</summary>
public sealed record RedisServerTls(string CaCertificate, string ClientCertificate, string ClientKey);
