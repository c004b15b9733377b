using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// podman against the lab registry over TLS. Unlike dockerd, podman has no loopback exception: the certificate is
/// verified through <c>--cert-dir</c>, and <c>podman login</c> keeps the credentials in a private auth file.
/// </summary>
public sealed class PodmanTlsTests(LabRegistryFixture fixture) : IClassFixture<LabRegistryFixture>
{
    [Fact]
    public async Task LoginPullPushPull_CertDir_SameImageBackAndRefusedAfterLogout()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        var host = fixture.Berth.HostPort;
        await Skopeo.RunAsync(["copy", "--quiet", "--dest-cert-dir", fixture.CertDir, "--dest-creds", "moby:gordon", image.Reference,
            $"docker://{host}/podman/source:v1"], Token);
        using var podman = new PodmanClient();
        // A private auth file (podman's default lives in XDG_RUNTIME_DIR, shared with every other test and user).
        var authFile = work.Combine("auth.json");
        await File.WriteAllTextAsync(authFile, "{}", Token);
        string[] tls = ["--cert-dir", fixture.CertDir, "--authfile", authFile];
        var source = $"{host}/podman/source:v1";
        var target = $"{host}/podman/target:v1";

        var anonymous = await podman.TryRunAsync(["pull", "--quiet", .. tls, source], Token);
        Assert.False(anonymous.Succeeded, anonymous.Describe());
        Assert.Contains("unauthorized", anonymous.StandardError, StringComparison.OrdinalIgnoreCase);

        var login = await podman.RunAsync(["login", .. tls, "-u", "moby", "-p", "gordon", host], Token);
        Assert.Contains("Login Succeeded", login.StandardOutput, StringComparison.Ordinal);
        await podman.RunAsync(["pull", "--quiet", .. tls, source], Token);
        var imageId = await podman.ImageIdAsync(source, Token);
        Assert.Equal(OciImageLayout.Hex(image.ConfigDigest), imageId);
        await podman.TagAsync(source, target, Token);
        await podman.RunAsync(["push", "--quiet", .. tls, target], Token);
        await podman.RemoveImageAsync(source, Token);
        await podman.RemoveImageAsync(target, Token);
        await podman.RunAsync(["pull", "--quiet", .. tls, target], Token);
        Assert.Equal(imageId, await podman.ImageIdAsync(target, Token));

        await podman.RunAsync(["logout", "--authfile", authFile, host], Token);
        await podman.RemoveImageAsync(target, Token);
        var refused = await podman.TryRunAsync(["pull", "--quiet", .. tls, target], Token);
        Assert.False(refused.Succeeded, refused.Describe());
        Assert.Contains("unauthorized", refused.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
