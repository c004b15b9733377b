using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemConcurrencyTests() : ConcurrencyTests(Backend.Filesystem);

public sealed class InMemoryConcurrencyTests() : ConcurrencyTests(Backend.InMemory);

/// <summary>What clients doing the same thing at once must not break. Outcomes are checked, never timings.</summary>
public abstract class ConcurrencyTests(Backend backend) : StoreTestBase(backend)
{
    private static readonly byte[] Content = TestContent.Random(400_000, seed: 77);

    [Fact]
    public async Task Append_TwoChunksForTheSameOffset_OneWinsTheOtherGets416()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        var range = new ChunkRange(0, Content.Length - 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try
            {
                await repository.Uploads.AppendAsync(upload.Id, TestContent.Stream(Content), range, Ct);
                return 0;
            }
            catch (RegistryException e)
            {
                return e.Status;
            }
        }, Ct)));

        Assert.Equal([0, 416], results.Order());
        Assert.Equal(Content.Length, (await repository.Uploads.GetAsync(upload.Id, Ct))!.Size);
        var blob = await repository.Uploads.CompleteAsync(upload.Id, Digest.Compute(Content), null, null, Ct);
        Assert.Equal(Content.Length, blob.Size);
    }

    [Fact]
    public async Task Complete_SameContentFromManyUploadsAtOnce_AllSucceedAndContentIsWhole()
    {
        var store = await OpenStoreAsync();
        var repositories = Enumerable.Range(0, 6).Select(i => store.Repository(RepositoryName.Parse($"app{i}"))).ToList();

        var blobs = await Task.WhenAll(repositories.Select(repository => Task.Run(() => PushBlobAsync(repository, Content), Ct)));

        Assert.All(blobs, blob => Assert.Equal(Content.Length, blob.Size));
        foreach (var repository in repositories)
        {
            var blob = await repository.Blobs.StatAsync(Digest.Compute(Content), Ct);
            await using var stream = await repository.Blobs.OpenReadAsync(blob!, 0, Ct);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            Assert.Equal(Content, copy.ToArray());
        }
    }

    [Fact]
    public async Task DeleteByDigest_ManyTagsOnTheManifest_RemovesEveryOne()
    {
        var repository = await OpenRepositoryAsync("app", deleteEnabled: true);
        var manifest = await PushImageAsync(repository, Image(1), null);
        var tags = Enumerable.Range(0, 60).Select(i => Tag.Parse($"t{i}")).ToList();
        await repository.Manifests.PutAsync(Reference.Of(manifest.Digest), manifest.Bytes, null, tags, Ct);
        Assert.Equal(60, (await repository.Tags.ListAsync(Ct))!.Count);

        // The tag folders are deleted while their parent is being listed; none may be skipped.
        await repository.Manifests.DeleteAsync(Reference.Of(manifest.Digest), Ct);

        Assert.Empty((await repository.Tags.ListAsync(Ct))!);
    }

    [Fact]
    public async Task PutManifest_SameTagFromManyClients_TagEndsOnOneOfThem()
    {
        var repository = await OpenRepositoryAsync("app");
        var manifests = new List<StoredManifest>();
        for (var i = 0; i < 5; i++)
        {
            manifests.Add(await PushImageAsync(repository, Image(i), null));
        }

        await Task.WhenAll(manifests.Select(manifest => Task.Run(() =>
            repository.Manifests.PutAsync(Reference.Of(Tag.Parse("latest")), manifest.Bytes, null, [], Ct), Ct)));

        var current = await repository.Manifests.GetAsync(Reference.Of(Tag.Parse("latest")), Ct);
        Assert.Contains(current!.Digest, manifests.Select(m => m.Digest));
    }
}
