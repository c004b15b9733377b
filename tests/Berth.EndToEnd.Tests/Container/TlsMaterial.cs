using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// The lab's <c>certs/domain.crt</c> and <c>certs/domain.key</c>: a self-signed certificate for 127.0.0.1, and dockerd's
/// trust in it through <c>/etc/docker/certs.d/127.0.0.1:PORT/ca.crt</c>, removed again on dispose.
/// </summary>
internal sealed class TlsMaterial : IDisposable
{
    private readonly List<string> _trustDirectories = [];

    private TlsMaterial(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Writes <c>domain.crt</c> and <c>domain.key</c> (PEM) into <paramref name="certsDirectory"/>.</summary>
    public static TlsMaterial Create(string certsDirectory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        Directory.CreateDirectory(certsDirectory);
        File.WriteAllText(Path.Combine(certsDirectory, "domain.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(certsDirectory, "domain.key"), key.ExportPkcs8PrivateKeyPem());
        return new TlsMaterial(certificate);
    }

    /// <summary>A handler that trusts exactly this certificate, for the test's own requests.</summary>
    public HttpMessageHandler CreateHandler() => new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.RawData.AsSpan().SequenceEqual(Certificate.RawData),
    };

    /// <summary>Makes dockerd trust the certificate for <paramref name="hostPort"/>, as the lab does with certs.d.</summary>
    public void TrustInDocker(string hostPort)
    {
        var directory = Path.Combine("/etc/docker/certs.d", hostPort);
        Directory.CreateDirectory(directory);
        _trustDirectories.Add(directory);
        File.WriteAllText(Path.Combine(directory, "ca.crt"), Certificate.ExportCertificatePem());
    }

    public void Dispose()
    {
        foreach (var directory in _trustDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }

        Certificate.Dispose();
    }
}
