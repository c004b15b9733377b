using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.TestKit;
using Berth.Tests.Http;
using Berth.Tests.Tls;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>
/// <c>berth serve --user</c> started as root, as the container image starts it: it reads a TLS key only root may
/// read (the lab's openssl line writes it 0600), gives a storage folder root made (as registry:2 or docker would)
/// to the user, and serves as that user with no way back to root.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServeUserSwitchTests : IDisposable
{
    private const uint ServiceUid = 1654;
    private readonly TempDirectory _work = new("berth-user");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task StartedAsRoot_ReadsRootOnlyKeyGivesStorageAndServesAsUser()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the test suite runs as root (scripts/test.sh installs packages)");
        // The work folder is 0700: the user must be able to reach the storage root below it, as /var/lib is.
        File.SetUnixFileMode(_work.Path, (UnixFileMode)0b111_101_101);
        var (certificate, key) = (_work.Combine("domain.crt"), _work.Combine("domain.key"));
        await LabCertificate.MakeAsync(key, certificate, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));

        // What registry:2 running as root leaves: root's folders, and a link out of the root that must not be followed.
        var root = _work.Combine("registry");
        var repositories = Directory.CreateDirectory(Path.Combine(root, "docker/registry/v2/repositories/labs")).FullName;
        var outside = Directory.CreateDirectory(_work.Combine("outside")).FullName;
        File.CreateSymbolicLink(Path.Combine(root, "link-out"), outside);

        using var selfSigned = X509CertificateLoader.LoadCertificateFromFile(certificate);
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate,
            ["REGISTRY_HTTP_TLS_KEY"] = key,
        };
        await using var berth = await BerthProcess.StartTlsAsync(root, () => TestCertificates.Handler(selfSigned), environment,
            serveOptions: ["--user", "1654:1654"], cancellationToken: TestContext.Current.CancellationToken);

        foreach (var task in Directory.GetDirectories($"/proc/{berth.ProcessId}/task"))
        {
            var status = await File.ReadAllLinesAsync(Path.Combine(task, "status"), TestContext.Current.CancellationToken);
            Assert.Equal("1654\t1654\t1654\t1654", Field(status, "Uid"));
            Assert.Equal("1654\t1654\t1654\t1654", Field(status, "Gid"));
            Assert.Equal("1654", Field(status, "Groups"));
            Assert.Equal("0000000000000000", Field(status, "CapEff"));
            Assert.Equal("0000000000000000", Field(status, "CapPrm"));
        }

        // A blob pushed now lands in folders the user owns, beside the ones root made.
        using var http = new HttpClient(TestCertificates.Handler(selfSigned)) { BaseAddress = berth.BaseUri };
        var blob = Digests.RandomBytes(1024);
        using var push = await http.PostAsync($"v2/labs/app/blobs/uploads/?digest={Digests.Sha256(blob)}", new ByteArrayContent(blob),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);

        var data = Directory.GetFiles(Path.Combine(root, "docker/registry/v2/blobs"), "data", SearchOption.AllDirectories).Single();
        foreach (var path in new[] { root, repositories, data, Path.Combine(root, "link-out") })
        {
            Assert.Equal(ServiceUid, await FileOwner.OfAsync(path));
        }

        Assert.Equal(0u, await FileOwner.OfAsync(outside));
        Assert.Equal(0u, await FileOwner.OfAsync(key));
        Assert.Contains("running as 1654:1654", berth.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UserRoot_RefusedAsUsageError()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve", "--user", "0"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--user: '0' is not UID or UID:GID", output, StringComparison.Ordinal);
    }

    private static string Field(string[] status, string name) =>
        status.Single(line => line.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
}
