using System.Text.Json;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// skopeo against the lab registry over TLS: the certificate is verified through <c>--cert-dir</c> (never
/// <c>--tls-verify=false</c>) and credentials go with <c>--creds</c>.
/// </summary>
public sealed class SkopeoTlsTests(LabRegistryFixture fixture) : IClassFixture<LabRegistryFixture>
{
    private const string Creds = LabRegistryFixture.User + ":" + LabRegistryFixture.Password;

    [Fact]
    public async Task CopyInspectCopyBack_CertDirAndCreds_SameManifestBothWays()
    {
        await RoundTripAsync(Remote("skopeo/tls:v1"), fixture.CertDir, Creds);
    }

    [Fact]
    public async Task Copy_NoCredentials_RefusedUnauthorizedNothingStored()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");

        var copy = await Skopeo.TryRunAsync(["copy", "--quiet", "--dest-cert-dir", fixture.CertDir, image.Reference, Remote("skopeo/anonymous:v1")], Token);

        AssertUnauthorized(copy);
        Assert.False(Directory.Exists(Path.Combine(RegistryLayout.V2(fixture.Root), "repositories", "skopeo", "anonymous")),
            "an anonymous push must not create the repository");
    }

    [Fact]
    public async Task Inspect_WrongPassword_RefusedUnauthorized()
    {
        var inspect = await Skopeo.TryRunAsync(["inspect", "--cert-dir", fixture.CertDir, "--creds", "moby:not-gordon", Remote("skopeo/any:v1")], Token);

        AssertUnauthorized(inspect);
    }

    [Fact]
    public async Task Inspect_CertDirWithAnotherCa_RefusedWithCertificateError()
    {
        using var work = new TempDirectory("berth-e2e");
        var otherDir = work.Combine("other-ca");
        Directory.CreateDirectory(otherDir);
        await SecureLab.MakeCertificateAsync(work.Combine("other.key"), Path.Combine(otherDir, "ca.crt"));

        var inspect = await Skopeo.TryRunAsync(["inspect", "--cert-dir", otherDir, "--creds", Creds, Remote("skopeo/any:v1")], Token);

        Assert.False(inspect.Succeeded, inspect.Describe());
        // Go's wording: "x509: certificate signed by unknown authority".
        Assert.Contains("x509", inspect.StandardError, StringComparison.Ordinal);
        Assert.Contains("unknown authority", inspect.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Pushes a new image to <paramref name="remote"/>, inspects it and copies it back to an OCI layout, all over
    /// TLS verified by <paramref name="certDir"/> with <paramref name="creds"/>: both ways carry the same manifest.
    /// </summary>
    internal static async Task RoundTripAsync(string remote, string certDir, string creds)
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");

        await Skopeo.RunAsync(["copy", "--quiet", "--dest-cert-dir", certDir, "--dest-creds", creds, image.Reference, remote], Token);
        var inspect = await Skopeo.RunAsync(["inspect", "--cert-dir", certDir, "--creds", creds, remote], Token);
        await Skopeo.RunAsync(["copy", "--quiet", "--src-cert-dir", certDir, "--src-creds", creds, remote, $"oci:{work.Combine("back")}:v1"], Token);

        using var document = JsonDocument.Parse(inspect.StandardOutput);
        Assert.Equal(image.ManifestDigest, document.RootElement.GetProperty("Digest").GetString());
        var back = await File.ReadAllTextAsync(work.Combine("back", "index.json"), Token);
        Assert.Contains(image.ManifestDigest, back, StringComparison.Ordinal);
    }

    internal static void AssertUnauthorized(CommandResult result)
    {
        Assert.False(result.Succeeded, result.Describe());
        Assert.Contains("unauthorized", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    private string Remote(string nameAndReference) => $"docker://{fixture.Berth.HostPort}/{nameAndReference}";

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
