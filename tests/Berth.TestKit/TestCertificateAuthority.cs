namespace Berth.TestKit;

/// <summary>
/// A private CA made with openssl for one test, and certificates it signs: a server certificate for 127.0.0.1 and
/// localhost, and a client certificate for mutual TLS. Nothing the system trusts, so a passing test proves the CA
/// was configured, not that verification was skipped.
/// </summary>
public sealed class TestCertificateAuthority
{
    private readonly string _folder;

    private TestCertificateAuthority(string folder)
    {
        _folder = folder;
    }

    public string CertificateFile => Path.Combine(_folder, "ca.crt");

    private string KeyFile => Path.Combine(_folder, "ca.key");

    public static async Task<TestCertificateAuthority> CreateAsync(string folder, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var ca = new TestCertificateAuthority(folder);
        await OpensslAsync(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj", "/CN=berth-test-ca",
            "-keyout", ca.KeyFile, "-out", ca.CertificateFile], cancellationToken);
        return ca;
    }

    /// <summary>Issues <c>name.crt</c> and <c>name.key</c> (PEM) for 127.0.0.1 and localhost, usable by a server and a client.</summary>
    public async Task<(string Certificate, string Key)> IssueAsync(string name, CancellationToken cancellationToken = default)
    {
        var (certificate, key, request, extensions) = (Path.Combine(_folder, name + ".crt"), Path.Combine(_folder, name + ".key"),
            Path.Combine(_folder, name + ".csr"), Path.Combine(_folder, name + ".ext"));
        await File.WriteAllTextAsync(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n", cancellationToken);
        await OpensslAsync(["req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", "/CN=" + name, "-keyout", key, "-out", request], cancellationToken);
        await OpensslAsync(["x509", "-req", "-in", request, "-CA", CertificateFile, "-CAkey", KeyFile, "-CAcreateserial", "-days", "2", "-sha256",
            "-extfile", extensions, "-out", certificate], cancellationToken);
        return (certificate, key);
    }

    private static async Task OpensslAsync(string[] arguments, CancellationToken cancellationToken) =>
        (await CommandRunner.RunAsync(Tools.Require("openssl", "openssl"), arguments, cancellationToken: cancellationToken)).EnsureSuccess();
}
