namespace Berth.Configuration;

/// <summary>The oldest TLS version served (<c>http.tls.minimumtls</c>).</summary>
public enum TlsMinimumVersion
{
    Tls12,
    Tls13,
}

/// <summary>
/// <c>http.tls.clientauth</c>: what the handshake asks of a client's certificate when <c>clientcas</c> is set; registry:3's
/// names for Go's <c>tls.ClientAuthType</c>. "Verify" means it must chain to one of the <c>clientcas</c>.
/// </summary>
public enum TlsClientAuth
{
    /// <summary><c>request-client-cert</c>: asked for, neither required nor verified.</summary>
    RequestClientCert,

    /// <summary><c>require-any-client-cert</c>: required, not verified.</summary>
    RequireAnyClientCert,

    /// <summary><c>verify-client-cert-if-given</c>: optional; one that is sent must verify.</summary>
    VerifyClientCertIfGiven,

    /// <summary><c>require-and-verify-client-cert</c>: required and verified; the default, as in registry:3.</summary>
    RequireAndVerifyClientCert,
}

/// <summary><c>http.tls.*</c>: serve HTTPS (HTTP/1.1 and HTTP/2) with a PEM certificate and key.</summary>
public sealed record TlsSettings
{
    /// <summary><c>http.tls.certificate</c>: PEM file; the server certificate first, then any intermediates.</summary>
    public required string CertificatePath { get; init; }

    /// <summary><c>http.tls.key</c>: the PEM private key of the certificate (PKCS#8, PKCS#1 RSA or SEC1 EC).</summary>
    public required string KeyPath { get; init; }

    /// <summary>
    /// <c>http.tls.clientcas</c>: PEM CA bundles. When any is set, client certificates are asked for and handled as
    /// <see cref="ClientAuth"/> says (mutual TLS); without them no client certificate is asked for.
    /// </summary>
    public IReadOnlyList<string> ClientCas { get; init; } = [];

    /// <summary><c>http.tls.clientauth</c>; has no effect without <see cref="ClientCas"/>, as in registry:3.</summary>
    public TlsClientAuth ClientAuth { get; init; } = TlsClientAuth.RequireAndVerifyClientCert;

    /// <summary>Whether a client without a certificate is refused in the handshake.</summary>
    public bool RequiresClientCertificate =>
        ClientCas.Count > 0 && ClientAuth is TlsClientAuth.RequireAnyClientCert or TlsClientAuth.RequireAndVerifyClientCert;

    public TlsMinimumVersion MinimumVersion { get; init; } = TlsMinimumVersion.Tls12;

    /// <summary>
    /// <c>http.tls.ciphersuites</c>: the TLS 1.2 suites offered, in the configured order; every TLS 1.3 suite stays on.
    /// Null offers the TLS library's defaults.
    /// </summary>
    public IReadOnlyList<System.Net.Security.TlsCipherSuite>? CipherSuites { get; init; }
}
