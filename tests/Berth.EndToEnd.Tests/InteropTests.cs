using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// One storage folder, two servers: what the reference registry (docker-registry, Distribution 2.8) wrote, Berth
/// serves, and the reverse. This is the promise that a user can point Berth at an existing registry:2 folder.
/// </summary>
public sealed class InteropTests
{
    [Fact]
    public async Task Serve_FolderWrittenByDistribution_SameBytesTagsAndCatalog()
    {
        using var work = new TempDirectory("berth-e2e");
        var root = work.Combine("registry");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        var other = OciImageLayout.Create(work.Combine("other"), "v1");
        await using (var distribution = await RegistryServer.StartDistributionAsync(root))
        {
            await Skopeo.CopyAsync(image.Reference, distribution.Docker("interop/app:v1"), cancellationToken: Token);
            await Skopeo.CopyAsync(image.Reference, distribution.Docker("interop/app:v2"), cancellationToken: Token);
            await Skopeo.CopyAsync(other.Reference, distribution.Docker("interop/other:v1"), cancellationToken: Token);
            await distribution.StopAsync();
        }

        await using var berth = await RegistryServer.StartBerthAsync(root);

        await AssertServesAsync(berth, "interop/app:v2", image, work.Combine("from-berth"));
        Assert.Equal(["v1", "v2"], await SkopeoTests.ListTagsAsync(berth, "interop/app"));
        var catalog = await RegistryHttp.CatalogAsync(berth);
        Assert.Contains("interop/app", catalog);
        Assert.Contains("interop/other", catalog);
    }

    [Fact]
    public async Task Serve_FolderWrittenByBerth_DistributionServesSameBytesAndTags()
    {
        using var work = new TempDirectory("berth-e2e");
        var root = work.Combine("registry");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        var digestFile = work.Combine("schema2-digest");
        await using (var berth = await RegistryServer.StartBerthAsync(root))
        {
            await Skopeo.CopyAsync(image.Reference, berth.Docker("interop/app:v1"), cancellationToken: Token);
            await Skopeo.CopyAsync(image.Reference, berth.Docker("interop/app:latest"), cancellationToken: Token);
            await Skopeo.RunAsync(["copy", "--quiet", "--dest-tls-verify=false", "--format", "v2s2", "--digestfile", digestFile,
                image.Reference, berth.Docker("interop/schema2:v1")], Token);
            await berth.StopAsync();
        }

        RegistryLayout.AssertImageStored(root, "interop/app", "v1", image.ManifestDigest, image.ManifestBytes,
            image.LayerDigests.Append(image.ConfigDigest));
        RegistryLayout.AssertLink(RegistryLayout.TagLink(root, "interop/app", "latest"), image.ManifestDigest);
        await using var distribution = await RegistryServer.StartDistributionAsync(root);

        await AssertServesAsync(distribution, "interop/app:v1", image, work.Combine("from-distribution"));
        Assert.Equal(["latest", "v1"], await SkopeoTests.ListTagsAsync(distribution, "interop/app"));
        var schema2 = await Skopeo.InspectAsync(distribution.Docker("interop/schema2:v1"), raw: true, Token);
        Assert.Equal(File.ReadAllText(digestFile).Trim(), OciImageLayout.DigestOf(schema2.StandardOutputBytes));
        Assert.Equal(["interop/app", "interop/schema2"], (await RegistryHttp.CatalogAsync(distribution)).Order(StringComparer.Ordinal));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The server hands out exactly the manifest and blobs of <paramref name="image"/>.</summary>
    internal static async Task AssertServesAsync(RegistryServer server, string nameAndTag, OciImageLayout image, string outputLayout)
    {
        var raw = await Skopeo.InspectAsync(server.Docker(nameAndTag), raw: true, Token);
        Assert.Equal(image.ManifestBytes, raw.StandardOutputBytes);
        await Skopeo.CopyAsync(server.Docker(nameAndTag), $"oci:{outputLayout}:copy", cancellationToken: Token);
        foreach (var digest in image.LayerDigests.Append(image.ConfigDigest))
        {
            Assert.Equal(image.ReadBlob(digest), OciImageLayout.ReadOciBlob(outputLayout, digest));
        }
    }
}
