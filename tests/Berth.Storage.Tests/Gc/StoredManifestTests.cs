using System.Text;
using Berth.Core;
using Berth.Storage.Gc;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Gc;

public sealed class FilesystemStoredManifestTests() : StoredManifestTests(Backend.Filesystem);

public sealed class InMemoryStoredManifestTests() : StoredManifestTests(Backend.InMemory);

/// <summary>Manifests Berth would not accept today but a registry:2 folder may hold, written straight to storage.</summary>
public abstract class StoredManifestTests(Backend backend) : GcTestBase(backend)
{
    private static readonly RepositoryName App = RepositoryName.Parse("app");

    [Fact]
    public async Task Collect_Schema1Manifest_KeepsItsLayers()
    {
        var layer = await PushBlobAsync(await RepositoryAsync("app"), TestContent.Random(80, seed: 5));
        var manifest = await WriteManifestAsync($$"""
            {"schemaVersion":1,"name":"app","tag":"old","architecture":"amd64",
             "fsLayers":[{"blobSum":"{{layer.Digest}}"}],"history":[{"v1Compatibility":"{}"}]}
            """);

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Empty(result.DeletedBlobs);
        Assert.Equal(new HashSet<Digest> { manifest, layer.Digest }, result.Marked);
    }

    [Fact]
    public async Task Collect_UnreadableManifest_StopsBeforeDeletingAnything()
    {
        await PushBlobAsync(await RepositoryAsync("app"), TestContent.Random(80, seed: 5));
        await WriteManifestAsync("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":"#"}""");
        var before = await SnapshotAsync();

        var error = await Assert.ThrowsAsync<GarbageCollectionException>(() => CollectAsync());

        Assert.Contains("cannot read manifest", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Collect_RevisionWithoutContent_IsNeitherMarkedNorRemoved()
    {
        var missing = Digest.Compute("gone"u8);
        await Driver.WriteLinkAsync(RegistryPaths.RevisionLink(App, missing), missing, Ct);

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Empty(result.Marked);
        Assert.Empty(result.DeletedManifests);
        Assert.True(await RevisionExistsAsync("app", missing));
    }

    /// <summary>Writes a manifest as registry:2 would have: content, revision link, tag <c>old</c>.</summary>
    private async Task<Digest> WriteManifestAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var digest = Digest.Compute(bytes);
        await Driver.WriteAllAsync(RegistryPaths.BlobData(digest), bytes, Ct);
        await Driver.WriteLinkAsync(RegistryPaths.RevisionLink(App, digest), digest, Ct);
        await Driver.WriteLinkAsync(RegistryPaths.TagCurrentLink(App, Tag.Parse("old")), digest, Ct);
        return digest;
    }
}
