using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Tls;

/// <summary>A real berth process serving <c>http.tls</c>: protocols, versions, mutual TLS, plain HTTP on the port.</summary>
public sealed class TlsServerTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-tls");
    private readonly X509Certificate2 _authority = TestCertificates.Authority("Berth Test CA");

    public void Dispose()
    {
        _authority.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task LabCertificate_ServesHttp2AndHttp11()
    {
        // The registry lab's own step (a smaller key, and a name for 127.0.0.1, to keep the test quick and valid).
        var (certificate, key) = (_folder.Combine("domain.crt"), _folder.Combine("domain.key"));
        await LabCertificate.MakeAsync(key, certificate, cancellationToken: TestContext.Current.CancellationToken);
        using var selfSigned = X509CertificateLoader.LoadCertificateFromFile(certificate);
        await using var berth = await StartAsync(Tls(certificate, key), () => TestCertificates.Handler(selfSigned));

        using var http = new HttpClient(TestCertificates.Handler(selfSigned));
        foreach (var version in new[] { HttpVersion.Version20, HttpVersion.Version11 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(berth.BaseUri, "v2/"))
            {
                Version = version,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Version);
        }
    }

    [Fact]
    public async Task DefaultMinimum_AcceptsTls12AndTls13()
    {
        await using var berth = await StartAsync(ServerTls(), Trusting);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, TestCertificates.Handler(_authority, protocols: SslProtocols.Tls12)));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, TestCertificates.Handler(_authority, protocols: SslProtocols.Tls13)));
    }

    [Fact]
    public async Task MinimumTls13_RefusesTls12()
    {
        var environment = ServerTls();
        environment["REGISTRY_HTTP_TLS_MINIMUMTLS"] = "tls1.3";
        await using var berth = await StartAsync(environment, Trusting);

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(berth, TestCertificates.Handler(_authority, protocols: SslProtocols.Tls12)));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, TestCertificates.Handler(_authority, protocols: SslProtocols.Tls13)));
    }

    [Fact]
    public async Task CipherSuites_OneTls12Suite_OnlyThatOneIsAcceptedAndTls13StillWorks()
    {
        // The server's key is ECDSA: both suites below could serve it; only the configured one may.
        var environment = ServerTls();
        environment["REGISTRY_HTTP_TLS_CIPHERSUITES"] = "[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]";
        await using var berth = await StartAsync(environment, Trusting);

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(berth, Tls12Offering(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, Tls12Offering(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, TestCertificates.Handler(_authority, protocols: SslProtocols.Tls13)));
    }

    [Fact]
    public async Task CipherSuites_Unset_Tls12SuiteOutsideTheListIsAccepted()
    {
        // The other side of the test above: without the key the suite it refuses is served.
        await using var berth = await StartAsync(ServerTls(), Trusting);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, Tls12Offering(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)));
    }

    [Fact]
    public async Task PlainHttp_OnTheTlsPort_GetsNoHttpAnswer()
    {
        await using var berth = await StartAsync(ServerTls(), Trusting);

        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://{berth.HostPort}/v2/"), TestContext.Current.CancellationToken));

        // What a raw client sees: the connection is closed without an HTTP response.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, berth.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var answer = await ReadToEndAsync(stream);
        Assert.DoesNotContain("HTTP/1.1 200", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutualTls_AcceptsOnlyClientsOfTheConfiguredCa()
    {
        using var otherAuthority = TestCertificates.Authority("Someone Else's CA");
        using var client = TestCertificates.Client(_authority, "alice");
        using var stranger = TestCertificates.Client(otherAuthority, "mallory");
        var environment = ServerTls();
        environment["REGISTRY_HTTP_TLS_CLIENTCAS"] = $"[{TestCertificates.WriteCertificatePem(_authority, _folder.Combine("ca.pem"))}]";
        await using var berth = await StartAsync(environment, () => TestCertificates.Handler(_authority, client));

        Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, TestCertificates.Handler(_authority, client)));
        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(berth, TestCertificates.Handler(_authority)));
        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(berth, TestCertificates.Handler(_authority, stranger)));
    }

    [Theory]
    [InlineData("garbage", "http.tls.key", "no PEM private key")]
    [InlineData("other-key", "http.tls.key", "is not the private key of the certificate")]
    [InlineData("missing-key", "http.tls.key", "cannot read")]
    [InlineData("missing-certificate", "http.tls.certificate", "cannot read")]
    [InlineData("missing-ca", "http.tls.clientcas", "cannot read")]
    public async Task BadFile_ExitsOneWithOneLineNamingTheKey(string fault, string key, string reason)
    {
        var environment = ServerTls();
        switch (fault)
        {
            case "garbage":
                await File.WriteAllTextAsync(environment["REGISTRY_HTTP_TLS_KEY"], "not a key\n", TestContext.Current.CancellationToken);
                break;
            case "other-key":
                using (var other = TestCertificates.Server(_authority, "other"))
                {
                    environment["REGISTRY_HTTP_TLS_KEY"] = TestCertificates.WritePem(other, _folder.Path, "other").Key;
                }

                break;
            case "missing-key":
                environment["REGISTRY_HTTP_TLS_KEY"] = _folder.Combine("nowhere.key");
                break;
            case "missing-certificate":
                environment["REGISTRY_HTTP_TLS_CERTIFICATE"] = _folder.Combine("nowhere.crt");
                break;
            default:
                environment["REGISTRY_HTTP_TLS_CLIENTCAS"] = $"[{_folder.Combine("nowhere-ca.pem")}]";
                break;
        }

        environment["REGISTRY_HTTP_ADDR"] = $"127.0.0.1:{FreePort.Next()}";
        environment["REGISTRY_STORAGE"] = "inmemory";
        environment["REGISTRY_LOG_LEVEL"] = "error";
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve"], environment);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"berth: configuration error: {key}: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    private Func<HttpMessageHandler> Trusting => () => TestCertificates.Handler(_authority);

    /// <summary>A TLS 1.2 client that offers <paramref name="suite"/> alone.</summary>
    private SocketsHttpHandler Tls12Offering(TlsCipherSuite suite)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("a client's cipher suites are set through OpenSSL");
        }

        var handler = TestCertificates.Handler(_authority, protocols: SslProtocols.Tls12);
        handler.SslOptions.CipherSuitesPolicy = new CipherSuitesPolicy([suite]);
        return handler;
    }

    private Dictionary<string, string> ServerTls()
    {
        using var server = TestCertificates.Server(_authority, "berth");
        var (certificate, key) = TestCertificates.WritePem(server, _folder.Path, "server");
        return Tls(certificate, key);
    }

    private static Dictionary<string, string> Tls(string certificate, string key) => new()
    {
        ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate,
        ["REGISTRY_HTTP_TLS_KEY"] = key,
    };

    private Task<BerthProcess> StartAsync(Dictionary<string, string> environment, Func<HttpMessageHandler> handler) =>
        BerthProcess.StartTlsAsync(_folder.Combine("registry"), handler, environment, cancellationToken: TestContext.Current.CancellationToken);

    internal static async Task<HttpStatusCode> GetAsync(BerthProcess berth, HttpMessageHandler handler)
    {
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri(berth.BaseUri, "v2/"), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // A reset is as good as a close: no HTTP answer either way.
        }

        return received.ToString();
    }
}
