namespace Berth.TestKit;

/// <summary>
/// Makes dockerd trust a registry's CA the way the docker documentation says: <c>/etc/docker/certs.d/HOST:PORT/ca.crt</c>.
/// dockerd has no option to move that folder, so every daemon on the machine reads it; the folders are named by a
/// free port, so tests never share one, and dispose removes them.
/// </summary>
public sealed class DockerCertsTrust : IDisposable
{
    public const string CertsRoot = "/etc/docker/certs.d";
    private readonly List<string> _folders = [];

    private DockerCertsTrust()
    {
    }

    /// <summary>Copies <paramref name="caCertificate"/> to <c>certs.d/HOST:PORT/ca.crt</c> for each of <paramref name="hostPorts"/>.</summary>
    public static DockerCertsTrust Create(string caCertificate, params string[] hostPorts)
    {
        var trust = new DockerCertsTrust();
        foreach (var hostPort in hostPorts)
        {
            var folder = Path.Combine(CertsRoot, hostPort);
            Directory.CreateDirectory(folder);
            trust._folders.Add(folder);
            File.Copy(caCertificate, Path.Combine(folder, "ca.crt"), overwrite: true);
        }

        return trust;
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Already gone: nothing left to clean.
            }
        }
    }
}
