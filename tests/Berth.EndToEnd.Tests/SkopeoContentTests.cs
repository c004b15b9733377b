using System.Security.Cryptography;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>skopeo with content that stresses the server: multi-platform indexes and a large layer.</summary>
public sealed class SkopeoContentTests
{
    [Fact]
    public async Task CopyAll_MultiPlatformIndex_IndexServedAsPushedAndEachPlatformPullable()
    {
        using var work = new TempDirectory("berth-e2e");
        var index = OciIndexLayout.Create(work.Combine("index"), "v1", "amd64", "arm64");
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));

        await Skopeo.RunAsync(["copy", "--quiet", "--all", "--dest-tls-verify=false", index.Reference, berth.Docker("multi/app:v1")], Token);

        var raw = await Skopeo.InspectAsync(berth.Docker("multi/app:v1"), raw: true, Token);
        Assert.Equal(index.IndexBytes, raw.StandardOutputBytes);
        foreach (var (architecture, image) in index.Images)
        {
            var output = work.Combine("pulled-" + architecture);
            // skopeo resolves the index to the image of the requested platform, as a docker pull would.
            await Skopeo.RunAsync(["--override-arch", architecture, "--override-os", "linux", "copy", "--quiet", "--src-tls-verify=false",
                berth.Docker("multi/app:v1"), "dir:" + output], Token);
            Assert.Equal(image.ManifestBytes, File.ReadAllBytes(Path.Combine(output, "manifest.json")));
            var byDigest = await Skopeo.InspectAsync(berth.Docker("multi/app@" + image.ManifestDigest), raw: true, Token);
            Assert.Equal(image.ManifestBytes, byDigest.StandardOutputBytes);
        }
    }

    [Fact]
    public async Task Copy_LargeLayer_RoundTripsByteForByte()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1", 48 * 1024 * 1024, 1024);
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));

        await Skopeo.CopyAsync(image.Reference, berth.Docker("large/app:v1"), cancellationToken: Token);
        await Skopeo.CopyAsync(berth.Docker("large/app:v1"), $"oci:{work.Combine("out")}:v1", cancellationToken: Token);

        foreach (var digest in image.LayerDigests)
        {
            var copied = Path.Combine(work.Combine("out"), "blobs", "sha256", OciImageLayout.Hex(digest));
            await using var stream = File.OpenRead(copied);
            Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, Token)));
            Assert.Equal(new FileInfo(Path.Combine(image.Directory, "blobs", "sha256", OciImageLayout.Hex(digest))).Length, stream.Length);
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
