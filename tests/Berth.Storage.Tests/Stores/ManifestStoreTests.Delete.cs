using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

/// <summary>Deleting: a tag removes just the tag; a digest removes the manifest, its tags and its referrer entry.</summary>
public abstract partial class ManifestStoreTests
{
    [Fact]
    public async Task Delete_ByTag_RemovesOnlyThatTag()
    {
        var repository = await OpenRepositoryAsync("app", deleteEnabled: true);
        var stored = await PushImageAsync(repository, Image(1), "v1");
        await repository.Manifests.PutAsync(TagRef("latest"), stored.Bytes, null, [], Ct);

        Assert.True(await repository.Manifests.DeleteAsync(TagRef("v1"), Ct));

        Assert.Null(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
        Assert.Equal(["latest"], await repository.Tags.ListAsync(Ct));
        Assert.NotNull(await repository.Manifests.GetAsync(Reference.Of(stored.Digest), Ct));
        Assert.False(await repository.Manifests.DeleteAsync(TagRef("v1"), Ct));
    }

    [Fact]
    public async Task Delete_ByDigest_RemovesManifestAndEveryTagOnIt()
    {
        var repository = await OpenRepositoryAsync("app", deleteEnabled: true);
        var doomed = await PushImageAsync(repository, Image(1), "v1");
        await repository.Manifests.PutAsync(TagRef("latest"), doomed.Bytes, null, [], Ct);
        var kept = await PushImageAsync(repository, Image(2), "v2");

        Assert.True(await repository.Manifests.DeleteAsync(Reference.Of(doomed.Digest), Ct));

        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(doomed.Digest), Ct));
        Assert.Null(await repository.Manifests.GetAsync(TagRef("latest"), Ct));
        Assert.Equal(["v2"], await repository.Tags.ListAsync(Ct));
        Assert.Equal(kept.Digest, (await repository.Manifests.GetAsync(TagRef("v2"), Ct))!.Digest);
        Assert.False(await repository.Manifests.DeleteAsync(Reference.Of(doomed.Digest), Ct));
    }

    [Fact]
    public async Task Delete_ByDigest_RemovesItsReferrerEntry()
    {
        var repository = await OpenRepositoryAsync("app", deleteEnabled: true);
        var subject = await PushImageAsync(repository, Image(1), "v1");
        var signature = await PushImageAsync(repository, Image(2).ArtifactType("application/x.sig").Subject(subject.Digest, subject.Bytes.Length), null);
        Assert.Single(await repository.Referrers.ListAsync(subject.Digest, null, Ct));

        await repository.Manifests.DeleteAsync(Reference.Of(signature.Digest), Ct);

        Assert.Empty(await repository.Referrers.ListAsync(subject.Digest, null, Ct));
        var folder = Storage.Layout.RegistryPaths.ReferrerLink(repository.Name, subject.Digest, signature.Digest).Parent;
        Assert.Null(await Driver.StatAsync(folder, Ct));
    }

    [Fact]
    public async Task Delete_Disabled_ThrowsUnsupported405AndKeepsEverything()
    {
        var repository = await OpenRepositoryAsync("app", deleteEnabled: false);
        var stored = await PushImageAsync(repository, Image(1), "v1");

        var byTag = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.DeleteAsync(TagRef("v1"), Ct));
        var byDigest = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.DeleteAsync(Reference.Of(stored.Digest), Ct));

        Assert.Equal(RegistryErrorCode.Unsupported, byTag.Code);
        Assert.Equal(405, byDigest.Status);
        Assert.NotNull(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
    }

    [Fact]
    public async Task Delete_Unknown_ReturnsFalse()
    {
        var repository = await OpenRepositoryAsync("app", deleteEnabled: true);

        Assert.False(await repository.Manifests.DeleteAsync(TagRef("nope"), Ct));
        Assert.False(await repository.Manifests.DeleteAsync(Reference.Of(Digest.Compute("nope"u8)), Ct));
    }

    [Fact]
    public async Task Get_AfterDeleteFromAnotherStore_IsNotServedFromCache()
    {
        var reader = await OpenRepositoryAsync("app");
        var stored = await PushImageAsync(reader, Image(1), "v1");
        Assert.NotNull(await reader.Manifests.GetAsync(Reference.Of(stored.Digest), Ct));

        var deleter = await OpenRepositoryAsync("app", deleteEnabled: true);
        await deleter.Manifests.DeleteAsync(Reference.Of(stored.Digest), Ct);

        // Another node deleted it: the reader's manifest cache must not keep it alive.
        Assert.Null(await reader.Manifests.GetAsync(Reference.Of(stored.Digest), Ct));
        Assert.Null(await reader.Manifests.GetAsync(TagRef("v1"), Ct));
    }
}
