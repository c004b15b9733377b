namespace Berth.Configuration;

/// <summary>The oldest TLS version served (<c>http.tls.minimumtls</c>).</summary>
public enum TlsMinimumVersion
{
    Tls12,
    Tls13,
}

/// <summary><c>http.tls.*</c>: serve HTTPS (HTTP/1.1 and HTTP/2) with a PEM certificate and key.</summary>
public sealed record TlsSettings
{
    /// <summary><c>http.tls.certificate</c>: PEM file; the server certificate first, then any intermediates.</summary>
    public required string CertificatePath { get; init; }

    /// <summary><c>http.tls.key</c>: the PEM private key of the certificate (PKCS#8, PKCS#1 RSA or SEC1 EC).</summary>
    public required string KeyPath { get; init; }

    /// <summary>
    /// <c>http.tls.clientcas</c>: PEM CA bundles. When any is set, every client must present a certificate issued by
    /// one of them (mutual TLS).
    /// </summary>
    public IReadOnlyList<string> ClientCas { get; init; } = [];

    public TlsMinimumVersion MinimumVersion { get; init; } = TlsMinimumVersion.Tls12;
}
