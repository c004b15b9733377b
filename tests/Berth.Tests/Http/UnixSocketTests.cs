using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Berth.TestKit;
using Berth.Tests.Tls;
using Xunit;

namespace Berth.Tests.Http;

/// <summary><c>http.net: unix</c> in a real berth: served over the socket, a stale socket replaced, anything else kept.</summary>
public sealed class UnixSocketTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-unix");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Root => _folder.Combine("root");

    private string Socket => _folder.Combine("registry.sock");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_UnixSocket_PushesAndPullsABlob()
    {
        await using var berth = await BerthProcess.StartUnixSocketAsync(Root, Socket, cancellationToken: Ct);
        using var http = new HttpClient(UnixSocketHttp.Handler(Socket)) { BaseAddress = berth.BaseUri };
        var blob = Digests.RandomBytes(4096);
        var digest = Digests.Sha256(blob);

        using var pushed = await http.PostAsync($"v2/labs/app/blobs/uploads/?digest={digest}", new ByteArrayContent(blob), Ct);
        using var pulled = await http.GetAsync($"v2/labs/app/blobs/{digest}", Ct);

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(blob, await pulled.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains($"berth listening on {Socket}", berth.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_StaleSocketAtPath_ReplacesItAndListens()
    {
        // What a killed server leaves: a socket file nobody listens on. Closing a .NET socket removes its file, so the
        // file is moved to the path first and the closed socket finds nothing to remove.
        var bound = _folder.Combine("bound.sock");
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(bound));
            File.Move(bound, Socket);
        }

        Assert.True(File.Exists(Socket));

        await using var berth = await BerthProcess.StartUnixSocketAsync(Root, Socket, cancellationToken: Ct);
        using var http = new HttpClient(UnixSocketHttp.Handler(Socket)) { BaseAddress = berth.BaseUri };
        using var ping = await http.GetAsync("v2/", Ct);

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task Serve_RegularFileAtPath_StopsNamingTheKeyAndKeepsTheFile()
    {
        await File.WriteAllTextAsync(Socket, "not a socket", Ct);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve"], UnixVariables());

        Assert.Equal(1, exitCode);
        Assert.Contains($"http.addr: {Socket} exists and is not a socket", output, StringComparison.Ordinal);
        Assert.Equal("not a socket", await File.ReadAllTextAsync(Socket, Ct));
    }

    [Fact]
    public async Task Healthcheck_UnixSocket_ProbesTheSocket()
    {
        await using var berth = await BerthProcess.StartUnixSocketAsync(Root, Socket, cancellationToken: Ct);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["healthcheck"], UnixVariables());

        Assert.True(exitCode == 0, output);
        Assert.Contains($"healthy: GET http://localhost/v2/ over the unix socket {Socket} answered 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_NothingListening_Unhealthy()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["healthcheck"], UnixVariables());

        Assert.True(exitCode == 1, output);
        Assert.Contains($"unhealthy: GET http://localhost/v2/ over the unix socket {Socket}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_TlsOverUnixSocket_ServesHttpsAndHealthcheckProbesIt()
    {
        using var authority = TestCertificates.Authority("Berth Unix CA");
        using var server = TestCertificates.Server(authority, "localhost");
        var (certificate, key) = TestCertificates.WritePem(server, _folder.Path, "server");
        var environment = UnixVariables();
        environment["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate;
        environment["REGISTRY_HTTP_TLS_KEY"] = key;
        var tls = TestCertificates.Handler(authority, protocols: SslProtocols.Tls13).SslOptions;

        await using var berth = await BerthProcess.StartUnixSocketAsync(Root, Socket, environment, tls, Ct);
        using var http = new HttpClient(UnixSocketHttp.Handler(Socket, tls)) { BaseAddress = berth.BaseUri };
        using var ping = await http.GetAsync("v2/", Ct);
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["healthcheck"], environment);

        Assert.Equal("https", berth.BaseUri.Scheme);
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.True(exitCode == 0, output);
        Assert.Contains("healthy: GET https://localhost/v2/ over the unix socket", output, StringComparison.Ordinal);
    }

    /// <summary>The variables that make berth listen on <see cref="Socket"/>, for commands run to their end.</summary>
    private Dictionary<string, string> UnixVariables() => new()
    {
        ["REGISTRY_HTTP_NET"] = "unix",
        ["REGISTRY_HTTP_ADDR"] = Socket,
        ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = Root,
    };
}
