using System.Net;
using System.Text.Json;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>skopeo, the registry client of the containers stack, against a real berth process.</summary>
public sealed class SkopeoTests
{
    private const string DockerSchema2 = "application/vnd.docker.distribution.manifest.v2+json";

    [Fact]
    public async Task Copy_OciLayoutAsOci_InspectAndRawManifestMatchWhatWasPushed()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));

        await Skopeo.CopyAsync(image.Reference, berth.Docker("skopeo/oci:v1"), cancellationToken: Token);

        var inspect = await InspectAsync(berth.Docker("skopeo/oci:v1"));
        Assert.Equal(image.ManifestDigest, inspect.GetProperty("Digest").GetString());
        Assert.Equal(image.LayerDigests, inspect.GetProperty("Layers").EnumerateArray().Select(layer => layer.GetString()));
        var raw = await Skopeo.InspectAsync(berth.Docker("skopeo/oci:v1"), raw: true, Token);
        Assert.Equal(image.ManifestBytes, raw.StandardOutputBytes);
    }

    [Fact]
    public async Task Copy_OciLayoutAsDockerSchema2_ServedAsSchema2WithMatchingDigest()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));
        var digestFile = work.Combine("digest");

        await Skopeo.RunAsync(["copy", "--quiet", "--dest-tls-verify=false", "--format", "v2s2", "--digestfile", digestFile,
            image.Reference, berth.Docker("skopeo/v2s2:v1")], Token);

        var pushedDigest = File.ReadAllText(digestFile).Trim();
        var raw = (await Skopeo.InspectAsync(berth.Docker("skopeo/v2s2:v1"), raw: true, Token)).StandardOutputBytes;
        Assert.Equal(pushedDigest, OciImageLayout.DigestOf(raw));
        using var manifest = JsonDocument.Parse(raw);
        Assert.Equal(DockerSchema2, manifest.RootElement.GetProperty("mediaType").GetString());
        var inspect = await InspectAsync(berth.Docker("skopeo/v2s2:v1"));
        Assert.Equal(pushedDigest, inspect.GetProperty("Digest").GetString());
        // Pull by the digest too: the manifest must be addressable by what the push reported.
        var byDigest = await Skopeo.InspectAsync(berth.Docker("skopeo/v2s2@" + pushedDigest), raw: true, Token);
        Assert.Equal(raw, byDigest.StandardOutputBytes);
    }

    [Fact]
    public async Task ListTags_ThreeTagsPushed_ListsExactlyThoseTags()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "latest");
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));

        foreach (var tag in new[] { "v2", "latest", "v1" })
        {
            await Skopeo.CopyAsync(image.Reference, berth.Docker("skopeo/tags:" + tag), cancellationToken: Token);
        }

        var tags = await ListTagsAsync(berth, "skopeo/tags");
        Assert.Equal(["latest", "v1", "v2"], tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Copy_RegistryToOciLayoutAndDir_LayerBytesIdentical()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1", 512 * 1024, 4096, 100);
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));
        await Skopeo.CopyAsync(image.Reference, berth.Docker("skopeo/out:v1"), cancellationToken: Token);

        await Skopeo.CopyAsync(berth.Docker("skopeo/out:v1"), $"oci:{work.Combine("oci-out")}:v1", cancellationToken: Token);
        await Skopeo.CopyAsync(berth.Docker("skopeo/out:v1"), "dir:" + work.Combine("dir-out"), cancellationToken: Token);

        Assert.Equal(image.ManifestBytes, OciImageLayout.ReadOciBlob(work.Combine("oci-out"), image.ManifestDigest));
        Assert.Equal(image.ManifestBytes, File.ReadAllBytes(work.Combine("dir-out", "manifest.json")));
        foreach (var digest in image.LayerDigests.Append(image.ConfigDigest))
        {
            Assert.Equal(image.ReadBlob(digest), OciImageLayout.ReadOciBlob(work.Combine("oci-out"), digest));
            Assert.Equal(image.ReadBlob(digest), File.ReadAllBytes(work.Combine("dir-out", OciImageLayout.Hex(digest))));
        }
    }

    [Fact]
    public async Task Copy_BetweenRepositoriesOfOneRegistry_SameManifestAndBlobsLinkedInBoth()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        var root = work.Combine("registry");
        await using var berth = await RegistryServer.StartBerthAsync(root);
        await Skopeo.CopyAsync(image.Reference, berth.Docker("team-a/app:v1"), cancellationToken: Token);

        // skopeo offers the source repository for a cross-repository mount; either way the copy must be complete.
        await Skopeo.CopyAsync(berth.Docker("team-a/app:v1"), berth.Docker("team-b/app:v1"), cancellationToken: Token);

        var raw = await Skopeo.InspectAsync(berth.Docker("team-b/app:v1"), raw: true, Token);
        Assert.Equal(image.ManifestBytes, raw.StandardOutputBytes);
        await Skopeo.CopyAsync(berth.Docker("team-b/app:v1"), $"oci:{work.Combine("copy")}:v1", cancellationToken: Token);
        foreach (var digest in image.LayerDigests)
        {
            Assert.Equal(image.ReadBlob(digest), OciImageLayout.ReadOciBlob(work.Combine("copy"), digest));
        }

        RegistryLayout.AssertImageStored(root, "team-b/app", "v1", image.ManifestDigest, image.ManifestBytes,
            image.LayerDigests.Append(image.ConfigDigest));
    }

    [Fact]
    public async Task Delete_PushedImage_ManifestIs404AndTagIsGone()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"), deleteEnabled: true);
        await Skopeo.CopyAsync(image.Reference, berth.Docker("skopeo/gone:v1"), cancellationToken: Token);
        await Skopeo.CopyAsync(image.Reference, berth.Docker("skopeo/gone:keep-listing"), cancellationToken: Token);
        Assert.Equal(HttpStatusCode.OK, await RegistryHttp.ManifestStatusAsync(berth, "skopeo/gone", image.ManifestDigest));

        // skopeo resolves the tag and deletes by digest: the manifest and every tag on it go.
        await Skopeo.DeleteAsync(berth.Docker("skopeo/gone:v1"), Token);

        Assert.Equal(HttpStatusCode.NotFound, await RegistryHttp.ManifestStatusAsync(berth, "skopeo/gone", image.ManifestDigest));
        Assert.Equal(HttpStatusCode.NotFound, await RegistryHttp.ManifestStatusAsync(berth, "skopeo/gone", "v1"));
        var inspect = await Skopeo.TryRunAsync(["inspect", "--tls-verify=false", "--raw", berth.Docker("skopeo/gone:v1")], Token);
        Assert.False(inspect.Succeeded, "inspect after delete should fail:\n" + inspect.Describe());
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> InspectAsync(string reference)
    {
        var result = await Skopeo.InspectAsync(reference, cancellationToken: Token);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    internal static async Task<IReadOnlyList<string>> ListTagsAsync(RegistryServer server, string repository)
    {
        var result = await Skopeo.ListTagsAsync(server.Docker(repository), Token);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return [.. document.RootElement.GetProperty("Tags").EnumerateArray().Select(tag => tag.GetString()!)];
    }
}
