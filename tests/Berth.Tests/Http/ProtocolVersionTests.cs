using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.TestKit;
using Berth.Tests.Tls;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// registry:3's protocol keys against a real berth: <c>http.h2c.enabled</c> (HTTP/2 with prior knowledge beside
/// HTTP/1.1 on one plain port) and <c>http.http2.disabled</c> (HTTP/1.1 only over TLS).
/// </summary>
public sealed class ProtocolVersionTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-protocols");
    private readonly X509Certificate2 _authority = TestCertificates.Authority("Berth Protocol CA");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _authority.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task H2cEnabled_PriorKnowledgeAndHttp11OnOnePort_BothServed()
    {
        await using var berth = await BerthProcess.StartAsync(_folder.Combine("root"),
            new Dictionary<string, string> { ["REGISTRY_HTTP_H2C_ENABLED"] = "true" }, cancellationToken: Ct);
        using var http = new HttpClient();

        using var http2 = await SendAsync(http, HttpMethod.Post, new Uri(berth.BaseUri, "v2/h2c/test/blobs/uploads/"), HttpVersion.Version20);
        using var http11 = await SendAsync(http, HttpMethod.Get, new Uri(berth.BaseUri, "v2/"), HttpVersion.Version11);

        Assert.Equal(HttpStatusCode.Accepted, http2.StatusCode);
        Assert.Equal(HttpVersion.Version20, http2.Version);
        // The scheme the client sent (http) is the one Locations are built with, not the https of the fake "ALPN".
        Assert.StartsWith($"{berth.BaseUri}v2/h2c/test/blobs/uploads/", http2.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, http11.StatusCode);
        Assert.Equal(HttpVersion.Version11, http11.Version);
    }

    [Fact]
    public async Task H2cAbsent_PriorKnowledge_NotServed()
    {
        await using var berth = await BerthProcess.StartAsync(_folder.Combine("root"), cancellationToken: Ct);
        using var http = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(http, HttpMethod.Get, new Uri(berth.BaseUri, "v2/"), HttpVersion.Version20));
        using var http11 = await SendAsync(http, HttpMethod.Get, new Uri(berth.BaseUri, "v2/"), HttpVersion.Version11);
        Assert.Equal(HttpStatusCode.OK, http11.StatusCode);
    }

    [Theory]
    [InlineData(false, "2.0")]
    [InlineData(true, "1.1")]
    public async Task Tls_Http2DisabledOrNot_NegotiatedVersion(bool disabled, string expected)
    {
        using var server = TestCertificates.Server(_authority, "berth");
        var (certificate, key) = TestCertificates.WritePem(server, _folder.Path, "server");
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate,
            ["REGISTRY_HTTP_TLS_KEY"] = key,
            ["REGISTRY_HTTP_HTTP2_DISABLED"] = disabled ? "true" : "false",
        };
        await using var berth = await BerthProcess.StartTlsAsync(_folder.Combine("root"), () => TestCertificates.Handler(_authority),
            environment, cancellationToken: Ct);
        using var http = new HttpClient(TestCertificates.Handler(_authority));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(berth.BaseUri, "v2/"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(expected), response.Version);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, Uri uri, Version version) =>
        http.SendAsync(new HttpRequestMessage(method, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact }, Ct);
}
