using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Berth.Configuration;
using Berth.Hosting.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Hosting;

/// <summary>
/// HTTPS for the registry's listener (<c>http.tls</c>): HTTP/1.1 and HTTP/2, the configured minimum TLS version,
/// a certificate that is reloaded when its files change, and client certificates when <c>clientcas</c> is set
/// (handled as <c>clientauth</c> says).
/// </summary>
internal sealed class TlsSetup
{
    private readonly ServerCertificateSource _certificates;
    private readonly ClientCertificateValidator? _clients;
    private readonly SslProtocols _protocols;
    private readonly CipherSuitesPolicy? _cipherSuites;

    /// <summary>Reads every file now: a bad certificate, key or CA stops the start with the key named.</summary>
    /// <exception cref="ConfigurationException">A file is unreadable, malformed, or the key does not match.</exception>
    public TlsSetup(TlsSettings tls, ILoggerFactory loggers, TimeProvider time)
    {
        var logger = loggers.CreateLogger("Berth.Tls");
        _certificates = new ServerCertificateSource(tls.CertificatePath, tls.KeyPath, time, logger);
        _clients = tls.ClientCas.Count == 0
            ? null
            : new ClientCertificateValidator(PemCertificateLoader.LoadClientCas(tls.ClientCas), tls.ClientAuth, logger);
        _protocols = tls.MinimumVersion == TlsMinimumVersion.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;
        _cipherSuites = tls.CipherSuites is { } suites ? Policy(suites) : null;
    }

    /// <summary>The configured TLS 1.2 suites, and every TLS 1.3 one: OpenSSL takes both from the one policy.</summary>
    private static CipherSuitesPolicy Policy(IReadOnlyList<TlsCipherSuite> suites)
    {
        if (OperatingSystem.IsWindows())
        {
            // SChannel takes no per-connection suite list; serving its defaults would not be what was configured.
            throw new ConfigurationException("http.tls.ciphersuites", "not supported on Windows");
        }

        return new CipherSuitesPolicy([.. suites, .. TlsCipherSuiteNames.Tls13.Except(suites)]);
    }

    public void Apply(ListenOptions listen)
    {
        // ALPN offers the protocols already set on listen (HTTP/2 unless http.http2.disabled). Plain HTTP sent to
        // this port fails the TLS handshake and the connection is closed.
        listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(Options()) });
    }

    private SslServerAuthenticationOptions Options() => new()
    {
        ServerCertificateContext = _certificates.Current,
        EnabledSslProtocols = _protocols,
        // "Required" here only asks for a certificate; whether one must come is the validator's answer (as in Kestrel's
        // own AllowCertificate and RequireCertificate modes).
        ClientCertificateRequired = _clients is not null,
        RemoteCertificateValidationCallback = _clients is null ? null : _clients.Validate,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CipherSuitesPolicy = _cipherSuites,
    };
}
