using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Gc;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Gc;

public sealed class FilesystemDeleteUntaggedTests() : DeleteUntaggedTests(Backend.Filesystem);

public sealed class InMemoryDeleteUntaggedTests() : DeleteUntaggedTests(Backend.InMemory);

/// <summary>--delete-untagged: untagged manifests go, except what a kept index or a kept subject still needs.</summary>
public abstract class DeleteUntaggedTests(Backend backend) : GcTestBase(backend)
{
    private const string Signature = "application/vnd.dev.cosign.artifact.sig.v1+json";

    [Fact]
    public async Task Collect_UntaggedManifest_IsRemovedWithItsTagHistoryAndUniqueBlobs()
    {
        var repository = await RepositoryAsync("app");
        var (oldImage, newImage) = (Image(1), Image(2));
        var old = await PushImageAsync(repository, oldImage, "v1");
        var current = await PushImageAsync(repository, newImage, "v1");

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Equal([new ManifestRevision(repository.Name, old.Digest)], result.DeletedManifests);
        Assert.Contains($"manifest eligible for deletion: {old.Digest}", Output);
        Assert.False(await RevisionExistsAsync("app", old.Digest));
        Assert.Null(await Driver.StatAsync(RegistryPaths.TagIndexLink(repository.Name, Tag.Parse("v1"), old.Digest), Ct));
        Assert.NotNull(await Driver.StatAsync(RegistryPaths.TagIndexLink(repository.Name, Tag.Parse("v1"), current.Digest), Ct));
        Assert.False(await BlobExistsAsync(old.Digest));
        Assert.False(await BlobExistsAsync(Digest.Compute(oldImage.Blobs[1])));
        Assert.Null(await (await OpenRepositoryAsync("app")).Manifests.GetAsync(Reference.Of(old.Digest), Ct));
        await AssertServedAsync("app", TagRef("v1"), current.Bytes.ToArray(), newImage.Blobs);
    }

    [Fact]
    public async Task Collect_IndexChildren_AreKeptWithTheirBlobs()
    {
        var repository = await RepositoryAsync("multi");
        var (amd64, arm64) = (Image(1), Image(2));
        var children = new[] { await PushImageAsync(repository, amd64, tag: null), await PushImageAsync(repository, arm64, tag: null) };
        var indexBytes = ManifestBuilder.Index(children.Select(child => child.Bytes.ToArray()));
        await repository.Manifests.PutAsync(TagRef("latest"), indexBytes, null, [], Ct);

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Empty(result.DeletedManifests);
        Assert.Empty(result.DeletedBlobs);
        await AssertServedAsync("multi", TagRef("latest"), indexBytes, []);
        await AssertServedAsync("multi", Reference.Of(children[0].Digest), children[0].Bytes.ToArray(), amd64.Blobs);
        await AssertServedAsync("multi", Reference.Of(children[1].Digest), children[1].Bytes.ToArray(), arm64.Blobs);
        var index = Digest.Compute(indexBytes);
        Assert.Contains($"multi: keeping untagged manifest {children[0].Digest}: the kept index {index} names it (a platform of a multi-arch image; "
            + "registry:2 would delete it and break the index)", Output);
    }

    [Fact]
    public async Task Collect_UntaggedIndex_GoesWithItsChildren()
    {
        var repository = await RepositoryAsync("multi");
        var child = await PushImageAsync(repository, Image(1), tag: null);
        var index = await repository.Manifests.PutAsync(TagRef("latest"), ManifestBuilder.Index(child.Bytes.ToArray()), null, [], Ct);
        Assert.True(await repository.Manifests.DeleteAsync(TagRef("latest"), Ct));

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Equal(new[] { index.Digest, child.Digest }.Order(DigestOrder.Instance),
            result.DeletedManifests.Select(manifest => manifest.Digest).Order(DigestOrder.Instance));
        Assert.False(await BlobExistsAsync(child.Digest));
    }

    [Fact]
    public async Task Collect_ReferrersOfATaggedManifest_AreKeptToAFixedPoint()
    {
        var repository = await RepositoryAsync("app");
        var subject = await PushImageAsync(repository, Image(1), "v1");
        var signature = await PushReferrerAsync(repository, subject, seed: 2);
        var signatureOfSignature = await PushReferrerAsync(repository, signature, seed: 3);

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Empty(result.DeletedManifests);
        Assert.Empty(result.DeletedBlobs);
        Assert.Equal([signature.Digest], (await repository.Referrers.ListAsync(subject.Digest, null, Ct)).Select(d => d.Digest));
        Assert.Equal([signatureOfSignature.Digest], (await repository.Referrers.ListAsync(signature.Digest, null, Ct)).Select(d => d.Digest));
        Assert.Contains($"app: keeping untagged manifest {signatureOfSignature.Digest}: it refers to the kept manifest {signature.Digest} "
            + "(a signature, SBOM or other referrer; registry:2 would delete it)", Output);
        Assert.DoesNotContain(Output, line => line.Contains($"keeping untagged manifest {subject.Digest}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Collect_ReferrerOfAnUntaggedManifest_IsRemovedWithItsReferrerEntry()
    {
        var repository = await RepositoryAsync("app");
        var subject = await PushImageAsync(repository, Image(1), "v1");
        var signature = await PushReferrerAsync(repository, subject, seed: 2);
        await PushImageAsync(repository, Image(3), "v1");

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Contains(new ManifestRevision(repository.Name, signature.Digest), result.DeletedManifests);
        Assert.Null(await Driver.StatAsync(RegistryPaths.ReferrerLink(repository.Name, subject.Digest, signature.Digest), Ct));
        Assert.False(await BlobExistsAsync(signature.Digest));
    }

    [Fact]
    public async Task Collect_RepositoryWithoutTags_LosesEveryManifest()
    {
        var repository = await RepositoryAsync("app");
        var untagged = await PushImageAsync(repository, Image(1), tag: null);

        var result = await CollectAsync(deleteUntagged: true);

        Assert.Equal([new ManifestRevision(repository.Name, untagged.Digest)], result.DeletedManifests);
        Assert.Equal("0 blobs marked, 3 blobs and 1 manifests eligible for deletion", Output.Single(line => line.Contains("blobs marked", StringComparison.Ordinal)));
    }

    /// <summary>A signature-like artifact with a layer of its own, pushed by digest, whose subject is <paramref name="subject"/>.</summary>
    private static Task<StoredManifest> PushReferrerAsync(IRepository repository, StoredManifest subject, int seed) =>
        PushImageAsync(repository, Image(seed).ArtifactType(Signature).Subject(subject.Digest, subject.Bytes.Length), tag: null);
}
