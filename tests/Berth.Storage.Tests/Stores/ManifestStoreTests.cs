using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemManifestStoreTests() : ManifestStoreTests(Backend.Filesystem);

public sealed class InMemoryManifestStoreTests() : ManifestStoreTests(Backend.InMemory);

/// <summary>Putting manifests: validation, references that must exist, digests and tags.</summary>
public abstract partial class ManifestStoreTests(Backend backend) : StoreTestBase(backend)
{
    private static Reference TagRef(string tag) => Reference.Of(Tag.Parse(tag));

    [Fact]
    public async Task Put_LayerAndConfigMissing_ThrowsManifestBlobUnknownListingThem()
    {
        var repository = await OpenRepositoryAsync("app");
        var image = Image(1).Layer(TestContent.Random(50, seed: 2));
        await PushBlobAsync(repository, image.Blobs[1]);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Manifests.PutAsync(TagRef("v1"), image.Build(), null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
        Assert.Contains(Digest.Compute(image.Blobs[0]).ToString(), error.Detail, StringComparison.Ordinal);
        Assert.Contains(Digest.Compute(image.Blobs[2]).ToString(), error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Digest.Compute(image.Blobs[1]).ToString(), error.Detail, StringComparison.Ordinal);
        Assert.Null(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
        Assert.Empty((await repository.Tags.ListAsync(Ct))!);
    }

    [Fact]
    public async Task Put_BlobsOnlyInAnotherRepository_ThrowsManifestBlobUnknown()
    {
        var store = await OpenStoreAsync();
        var image = Image(1);
        await PushImageAsync(store.Repository(RepositoryName.Parse("other")), image, "v1");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            store.Repository(RepositoryName.Parse("app")).Manifests.PutAsync(TagRef("v1"), image.Build(), null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
    }

    [Fact]
    public async Task Put_IndexWithMissingChild_ThrowsManifestBlobUnknown()
    {
        var repository = await OpenRepositoryAsync("app");
        var present = await PushImageAsync(repository, Image(1), null);
        var absent = Image(2).Build();

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Manifests.PutAsync(TagRef("multi"), ManifestBuilder.Index(present.Bytes.ToArray(), absent), null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
        Assert.Equal(Digest.Compute(absent).ToString(), error.Detail);
    }

    [Fact]
    public async Task Put_IndexWithChildrenPresent_IsStoredAndResolves()
    {
        var repository = await OpenRepositoryAsync("app");
        var one = await PushImageAsync(repository, Image(1), null);
        var two = await PushImageAsync(repository, Image(2), null);
        var index = ManifestBuilder.Index(one.Bytes.ToArray(), two.Bytes.ToArray());

        var stored = await repository.Manifests.PutAsync(TagRef("multi"), index, null, [], Ct);

        Assert.True(stored.Manifest.IsIndex);
        Assert.Equal(index, (await repository.Manifests.GetAsync(TagRef("multi"), Ct))!.Bytes.ToArray());
    }

    [Fact]
    public async Task Put_SubjectThatDoesNotExist_IsAccepted()
    {
        var repository = await OpenRepositoryAsync("app");
        var missingSubject = Digest.Compute("not pushed yet"u8);

        var stored = await PushImageAsync(repository, Image(1).Subject(missingSubject, 14), "sig");

        Assert.Equal(missingSubject, stored.Manifest.Subject!.Digest);
        Assert.NotNull(await repository.Manifests.GetAsync(Reference.Of(stored.Digest), Ct));
    }

    [Fact]
    public async Task Put_ByDigestThatDoesNotMatch_ThrowsDigestInvalidAndStoresNothing()
    {
        var repository = await OpenRepositoryAsync("app");
        var image = Image(1);
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(repository, blob);
        }

        var claimed = Digest.Compute("other"u8);
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Manifests.PutAsync(Reference.Of(claimed), image.Build(), null, [], Ct));

        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(claimed), Ct));
        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(Digest.Compute(image.Build())), Ct));
    }

    [Fact]
    public async Task Put_ByDigest_StoresUntagged()
    {
        var repository = await OpenRepositoryAsync("app");

        var stored = await PushImageAsync(repository, Image(1), null);

        Assert.Equal(stored.Bytes.ToArray(), (await repository.Manifests.GetAsync(Reference.Of(stored.Digest), Ct))!.Bytes.ToArray());
        Assert.Empty((await repository.Tags.ListAsync(Ct))!);
    }

    [Fact]
    public async Task Put_ExtraTags_AllResolveToTheManifest()
    {
        var repository = await OpenRepositoryAsync("app");
        var image = Image(1);
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(repository, blob);
        }

        var stored = await repository.Manifests.PutAsync(TagRef("v1"), image.Build(), null, [Tag.Parse("latest"), Tag.Parse("stable")], Ct);

        Assert.Equal(["latest", "stable", "v1"], await repository.Tags.ListAsync(Ct));
        foreach (var tag in new[] { "v1", "latest", "stable" })
        {
            Assert.Equal(stored.Digest, (await repository.Manifests.GetAsync(TagRef(tag), Ct))!.Digest);
        }
    }

    [Fact]
    public async Task Put_InvalidJson_ThrowsManifestInvalid()
    {
        var repository = await OpenRepositoryAsync("app");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Manifests.PutAsync(TagRef("v1"), "{not json"u8.ToArray(), null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Null(await repository.Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task Put_ExistingTag_MovesItToTheNewManifest()
    {
        var repository = await OpenRepositoryAsync("app");
        var first = await PushImageAsync(repository, Image(1), "v1");

        var second = await PushImageAsync(repository, Image(2), "v1");

        Assert.NotEqual(first.Digest, second.Digest);
        Assert.Equal(second.Digest, (await repository.Manifests.GetAsync(TagRef("v1"), Ct))!.Digest);
        Assert.NotNull(await repository.Manifests.GetAsync(Reference.Of(first.Digest), Ct));
    }

    [Fact]
    public async Task Get_UnknownTagOrDigest_ReturnsNull()
    {
        var repository = await OpenRepositoryAsync("app");
        await PushImageAsync(repository, Image(1), "v1");
        var stranger = await PushImageAsync(await OpenRepositoryAsync("other"), Image(2), null);

        Assert.Null(await repository.Manifests.GetAsync(TagRef("v2"), Ct));
        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(Digest.Compute("x"u8)), Ct));
        // Stored in the registry, but not a revision of this repository.
        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(stranger.Digest), Ct));
    }

    [Fact]
    public async Task Get_Counted_MissedOnceInAFreshStoreAndHitInTheStoreThatPushed()
    {
        var writerCounters = new StoreCacheCounters(new CacheCounter("manifests"), new CacheCounter("tags"));
        var writer = (await OpenStoreAsync(cacheCounters: writerCounters)).Repository(RepositoryName.Parse("app"));
        var stored = await PushImageAsync(writer, Image(1), "v1");
        var readerCounters = new StoreCacheCounters(new CacheCounter("manifests"), new CacheCounter("tags"));
        var reader = (await OpenStoreAsync(cacheCounters: readerCounters)).Repository(RepositoryName.Parse("app"));

        Assert.Equal(stored.Digest, (await reader.Manifests.GetAsync(TagRef("v1"), Ct))?.Digest);
        Assert.Equal(stored.Digest, (await reader.Manifests.GetAsync(Reference.Of(stored.Digest), Ct))?.Digest);
        Assert.Null(await reader.Manifests.GetAsync(TagRef("missing"), Ct));
        Assert.Equal(stored.Digest, (await writer.Manifests.GetAsync(TagRef("v1"), Ct))?.Digest);

        // A tag that resolves to nothing is answered before the cache is asked: not a lookup.
        Assert.Equal((1L, 1L), (readerCounters.Manifests.Hits, readerCounters.Manifests.Misses));
        Assert.Equal((1L, 0L), (writerCounters.Manifests.Hits, writerCounters.Manifests.Misses));
    }
}
