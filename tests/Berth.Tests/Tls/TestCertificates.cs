using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Tests.Tls;

/// <summary>A throwaway PKI for TLS tests: CAs, server and client certificates (ECDSA P-256), written as PEM files.</summary>
internal static class TestCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A certificate for 127.0.0.1 and localhost.</summary>
    public static X509Certificate2 Server(X509Certificate2 authority, string name) => Issue(authority, name, ServerAuthentication);

    public static X509Certificate2 Client(X509Certificate2 authority, string name) => Issue(authority, name, ClientAuthentication);

    /// <summary>Writes <c>name.crt</c> and <c>name.key</c> (PKCS#8) as openssl would.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string folder, string name)
    {
        var paths = (Path.Combine(folder, name + ".crt"), Path.Combine(folder, name + ".key"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(paths.Item2, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        return paths;
    }

    public static string WriteCertificatePem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>
    /// A client that trusts only <paramref name="root"/>, optionally presents <paramref name="clientCertificate"/>, and
    /// reports each server certificate it is shown. A new handler is a new connection: each one is a fresh handshake.
    /// </summary>
    public static SocketsHttpHandler Handler(X509Certificate2 root, X509Certificate2? clientCertificate = null,
        SslProtocols protocols = SslProtocols.None, Action<X509Certificate2>? presented = null) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = protocols,
            ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is not X509Certificate2 server)
                {
                    return false;
                }

                presented?.Invoke(server);
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build(server);
            },
        },
    };

    private static X509Certificate2 Issue(X509Certificate2 authority, string name, Oid usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7),
            RandomNumberGenerator.GetBytes(16));
        return certificate.CopyWithPrivateKey(key);
    }
}
