using System.Security.Cryptography.X509Certificates;
using Berth.TestKit;

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

    /// <summary>
    /// Runs the lab's own line, <c>openssl req -newkey rsa:4096 -nodes -sha256 -keyout certs/domain.key -x509 -days 365
    /// -out certs/domain.crt</c>, answering its prompts with <c>-subj</c> and naming 127.0.0.1, in
    /// <paramref name="certsDirectory"/>. openssl writes the key 0600 and as root here: only root may read it.
    /// </summary>
    public static async Task<TlsMaterial> CreateAsync(string certsDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(certsDirectory);
        var (certificate, key) = (Path.Combine(certsDirectory, "domain.crt"), Path.Combine(certsDirectory, "domain.key"));
        await LabCertificate.MakeAsync(key, certificate, bits: 4096, cancellationToken);
        return new TlsMaterial(X509CertificateLoader.LoadCertificateFromFile(certificate));
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
