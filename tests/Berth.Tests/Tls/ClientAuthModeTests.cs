using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Tls;

/// <summary>
/// <c>http.tls.clientauth</c> on a real berth process: who gets through the handshake in each mode, and that
/// <c>berth healthcheck</c> (which has no client certificate) calls the server healthy in each.
/// </summary>
public sealed class ClientAuthModeTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-clientauth");
    private readonly X509Certificate2 _authority = TestCertificates.Authority("Berth Test CA");
    private readonly X509Certificate2 _otherAuthority = TestCertificates.Authority("Someone Else's CA");
    private readonly X509Certificate2 _client;
    private readonly X509Certificate2 _stranger;
    private Dictionary<string, string> _environment = [];

    public ClientAuthModeTests()
    {
        _client = TestCertificates.Client(_authority, "alice");
        _stranger = TestCertificates.Client(_otherAuthority, "mallory");
    }

    public void Dispose()
    {
        _client.Dispose();
        _stranger.Dispose();
        _otherAuthority.Dispose();
        _authority.Dispose();
        _folder.Dispose();
    }

    /// <param name="withoutCertificate">Whether a client that presents no certificate is served.</param>
    /// <param name="fromTheCa">Whether a client with a certificate from <c>clientcas</c> is served.</param>
    /// <param name="fromAnotherCa">Whether a client with a certificate from another CA is served.</param>
    /// <param name="healthVerdict">What <c>berth healthcheck</c>, which has no certificate, reports.</param>
    [Theory]
    [InlineData("request-client-cert", true, true, true, "answered 200")]
    [InlineData("require-any-client-cert", false, true, true, "refused a client without one")]
    [InlineData("verify-client-cert-if-given", true, true, false, "answered 200")]
    [InlineData("require-and-verify-client-cert", false, true, false, "refused a client without one")]
    public async Task Handshake_EachMode_ServesExactlyTheClientsItAdmits(string mode, bool withoutCertificate, bool fromTheCa,
        bool fromAnotherCa, string healthVerdict)
    {
        await using var berth = await StartAsync(mode);

        await AssertServedAsync(berth, null, withoutCertificate);
        await AssertServedAsync(berth, _client, fromTheCa);
        await AssertServedAsync(berth, _stranger, fromAnotherCa);
        await AssertHealthyAsync(berth, healthVerdict);
    }

    private async Task AssertServedAsync(BerthProcess berth, X509Certificate2? certificate, bool served)
    {
        if (served)
        {
            Assert.Equal(HttpStatusCode.OK, await GetAsync(berth, certificate));
        }
        else
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(berth, certificate));
        }
    }

    private Dictionary<string, string> Environment(string mode)
    {
        using var server = TestCertificates.Server(_authority, "berth");
        var (certificate, key) = TestCertificates.WritePem(server, _folder.Path, "server");
        return new()
        {
            ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate,
            ["REGISTRY_HTTP_TLS_KEY"] = key,
            ["REGISTRY_HTTP_TLS_CLIENTCAS"] = $"[{TestCertificates.WriteCertificatePem(_authority, _folder.Combine("ca.pem"))}]",
            ["REGISTRY_HTTP_TLS_CLIENTAUTH"] = mode,
            ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = _folder.Combine("registry"),
        };
    }

    private Task<BerthProcess> StartAsync(string mode)
    {
        _environment = Environment(mode);
        return BerthProcess.StartTlsAsync(_folder.Combine("registry"), () => TestCertificates.Handler(_authority, _client), _environment,
            cancellationToken: TestContext.Current.CancellationToken);
    }

    private Task<HttpStatusCode> GetAsync(BerthProcess berth, X509Certificate2? clientCertificate) =>
        TlsServerTests.GetAsync(berth, TestCertificates.Handler(_authority, clientCertificate));

    /// <summary>The image's HEALTHCHECK, run against the same configuration as the server.</summary>
    private async Task AssertHealthyAsync(BerthProcess berth, string verdict)
    {
        var environment = new Dictionary<string, string>(_environment) { ["REGISTRY_HTTP_ADDR"] = berth.HostPort };

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["healthcheck"], environment);

        Assert.True(exitCode == 0, output);
        Assert.Contains(verdict, output, StringComparison.Ordinal);
    }
}
