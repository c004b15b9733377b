using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// The registry lab's files, made as the lab makes them: <c>certs/domain.crt</c> and <c>certs/domain.key</c> by
/// <c>openssl req -x509</c> (a self-signed certificate for 127.0.0.1 and localhost), <c>auth/htpasswd</c> by
/// <c>berth htpasswd -Bbn</c>, and a client cert-dir holding only that certificate as <c>ca.crt</c> (what skopeo and
/// podman read). Dispose deletes the folder.
/// </summary>
internal sealed class SecureLab : IDisposable
{
    private readonly TempDirectory _work = new("berth-secure");

    private SecureLab()
    {
    }

    public string Certificate => _work.Combine("certs", "domain.crt");

    public string Key => _work.Combine("certs", "domain.key");

    public string Htpasswd => _work.Combine("auth", "htpasswd");

    /// <summary>A folder with only <c>ca.crt</c>: the self-signed certificate, trusted as its own CA.</summary>
    public string CertDir => _work.Combine("client-certs");

    public string Root => _work.Combine("registry");

    public X509Certificate2 Authority { get; private set; } = null!;

    public string Combine(params string[] parts) => _work.Combine(parts);

    /// <summary>Makes the certificate and an htpasswd file with each (user, password) of <paramref name="users"/>.</summary>
    public static async Task<SecureLab> CreateAsync(params (string User, string Password)[] users)
    {
        var lab = new SecureLab();
        try
        {
            Directory.CreateDirectory(lab.Combine("certs"));
            Directory.CreateDirectory(lab.Combine("auth"));
            Directory.CreateDirectory(lab.CertDir);
            await MakeCertificateAsync(lab.Key, lab.Certificate);
            lab.Authority = X509CertificateLoader.LoadCertificateFromFile(lab.Certificate);
            File.Copy(lab.Certificate, Path.Combine(lab.CertDir, "ca.crt"));
            var htpasswd = new StringBuilder();
            foreach (var (user, password) in users)
            {
                htpasswd.Append(await BerthHtpasswdAsync(user, password));
            }

            await File.WriteAllTextAsync(lab.Htpasswd, htpasswd.ToString(), Token);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>The lab's <c>openssl req</c> line, with 2048 bits (4096 only costs time) and names valid for loopback.</summary>
    public static Task MakeCertificateAsync(string keyFile, string certificateFile) =>
        LabCertificate.MakeAsync(keyFile, certificateFile, cancellationToken: Token);

    /// <summary>What <c>berth htpasswd -Bbn USER PASSWORD</c> prints on standard output (what the lab redirects to the file).</summary>
    public static async Task<string> BerthHtpasswdAsync(string user, string password) =>
        (await CommandRunner.RunCheckedAsync("dotnet", [BerthProcess.BerthDll, "htpasswd", "-Bbn", user, password], cancellationToken: Token))
            .StandardOutput;

    /// <summary>The lab's variables: TLS with these files, htpasswd auth in "Registry Realm".</summary>
    public Dictionary<string, string> LabEnvironment() => new()
    {
        ["REGISTRY_HTTP_TLS_CERTIFICATE"] = Certificate,
        ["REGISTRY_HTTP_TLS_KEY"] = Key,
        ["REGISTRY_AUTH"] = "htpasswd",
        ["REGISTRY_AUTH_HTPASSWD_REALM"] = "Registry Realm",
        ["REGISTRY_AUTH_HTPASSWD_PATH"] = Htpasswd,
    };

    /// <summary>Starts berth over TLS with <paramref name="environment"/> (default: the lab's variables) and an optional config file.</summary>
    public Task<BerthProcess> StartBerthAsync(Dictionary<string, string>? environment = null, string? configFile = null) =>
        BerthProcess.StartTlsAsync(Root, () => TlsTrust.Handler(Authority), environment ?? LabEnvironment(), configFile, cancellationToken: Token);

    /// <summary>An HTTPS client trusting only the lab certificate, sending Basic credentials when a user is given.</summary>
    public HttpClient Client(string? user = null, string? password = null)
    {
        var http = new HttpClient(TlsTrust.Handler(Authority)) { Timeout = TimeSpan.FromSeconds(30) };
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return http;
    }

    public void Dispose()
    {
        Authority?.Dispose();
        _work.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
