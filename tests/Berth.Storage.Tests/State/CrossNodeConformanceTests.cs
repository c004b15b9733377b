using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Gc;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.State;

/// <summary>
/// Two nodes on one storage, each with its own <see cref="RegistryStore"/> and state objects: what one node
/// acknowledged, the other serves at its next request (tags, deletes, uploads, garbage collection); the catalog as
/// the implementation promises (Redis at once, in process within its refresh interval).
/// </summary>
public abstract class CrossNodeConformanceTests : IAsyncDisposable
{
    private readonly List<RegistryStore> _stores = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The storage every node shares.</summary>
    protected InMemoryDriver Storage { get; } = new();

    /// <summary>A node: its store, initialized, and the driver it writes through (what its garbage collection uses).</summary>
    protected abstract Task<(RegistryStore Store, IStorageDriver Driver)> StartNodeAsync();

    /// <summary>Waits as long as the implementation says another node's new repository may take to be listed.</summary>
    protected abstract Task LetCatalogCatchUpAsync(RegistryStore node);

    [Fact]
    public async Task Tag_MovedOnA_ServedByBAtOnce()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        var first = await PushAsync(a, "app", Image(1), "latest");
        Assert.Equal(first.Digest, (await GetAsync(b, "app", "latest"))?.Digest);

        var second = await PushAsync(a, "app", Image(2), "latest");

        Assert.Equal(second.Digest, (await GetAsync(b, "app", "latest"))?.Digest);
    }

    [Fact]
    public async Task Manifest_DeletedOnA_UnknownOnBAtOnce()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        var pushed = await PushAsync(a, "app", Image(3), "v1");
        Assert.NotNull(await GetAsync(b, "app", "v1"));
        Assert.NotNull(await b.Repository(Name("app")).Manifests.GetAsync(Reference.Of(pushed.Digest), Ct));

        Assert.True(await a.Repository(Name("app")).Manifests.DeleteAsync(Reference.Of(pushed.Digest), Ct));

        Assert.Null(await b.Repository(Name("app")).Manifests.GetAsync(Reference.Of(pushed.Digest), Ct));
        Assert.Null(await GetAsync(b, "app", "v1"));
    }

    [Fact]
    public async Task Tag_DeletedOnA_UnknownOnBAndGoneFromItsTagList()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        await PushAsync(a, "app", Image(4), "v1");
        await PushAsync(a, "app", Image(4), "v2");
        Assert.Equal(["v1", "v2"], await b.Repository(Name("app")).Tags.ListAsync(Ct));
        Assert.NotNull(await GetAsync(b, "app", "v1"));

        Assert.True(await a.Repository(Name("app")).Manifests.DeleteAsync(Reference.Of(Tag.Parse("v1")), Ct));

        Assert.Null(await GetAsync(b, "app", "v1"));
        Assert.Equal(["v2"], await b.Repository(Name("app")).Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task Catalog_RepositoryCreatedOnA_ListedOnB()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());

        await PushAsync(a, "team/new", Image(5), "v1");
        await LetCatalogCatchUpAsync(b);

        Assert.Contains("team/new", (await b.Catalog.PageAsync(null, 100, Ct)).Names);
        Assert.True(await b.Catalog.ContainsAsync(Name("team/new"), Ct));
    }

    [Fact]
    public async Task Repository_DeletedOnA_UnlistedAndUnknownOnBThenPushedAgainOnBListedOnA()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        // B pushes first, so B is the node that believes the name is already in the catalog.
        await PushAsync(b, "team/gone", Image(6), "v1");
        await LetCatalogCatchUpAsync(a);

        Assert.NotNull(await a.DeleteRepositoryAsync(Name("team/gone"), Ct));
        await LetCatalogCatchUpAsync(b);

        Assert.DoesNotContain("team/gone", (await b.Catalog.PageAsync(null, 100, Ct)).Names);
        Assert.Null(await b.Repository(Name("team/gone")).Tags.ListAsync(Ct));
        Assert.Null(await GetAsync(b, "team/gone", "v1"));

        // B hears of the removal asynchronously (Redis pub/sub): push until A lists the name, within a deadline.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await PushAsync(b, "team/gone", Image(7), "v2");
            await LetCatalogCatchUpAsync(a);
            if (await a.Catalog.ContainsAsync(Name("team/gone"), Ct) || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                break;
            }

            await Task.Delay(20, Ct);
        }

        Assert.Contains("team/gone", (await a.Catalog.PageAsync(null, 100, Ct)).Names);
        Assert.Equal(["v2"], await a.Repository(Name("team/gone")).Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task Upload_ChunksAlternatingBetweenNodes_CompletesWithTheRightDigest()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        var chunks = Enumerable.Range(0, 5).Select(i => TestContent.Random(70_000 + i, 40 + i)).ToList();
        var content = chunks.SelectMany(chunk => chunk).ToArray();
        var started = await a.Repository(Name("app")).Uploads.StartAsync(Ct);

        for (var i = 0; i < chunks.Count - 1; i++)
        {
            var node = i % 2 == 0 ? a : b;
            var status = await node.Repository(Name("app")).Uploads.AppendAsync(started.Id, TestContent.Stream(chunks[i]), null, Ct);
            Assert.Equal(chunks.Take(i + 1).Sum(chunk => chunk.Length), status.Size);
        }

        var blob = await a.Repository(Name("app")).Uploads.CompleteAsync(started.Id, Digest.Compute(content), TestContent.Stream(chunks[^1]), null, Ct);

        Assert.Equal(content.Length, blob.Size);
        var served = await b.Repository(Name("app")).Blobs.StatAsync(Digest.Compute(content), Ct);
        Assert.NotNull(served);
        await using var stream = await b.Repository(Name("app")).Blobs.OpenReadAsync(served, 0, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task GarbageCollection_OnA_BlobUnknownOnBAndAReuploadIsAccepted()
    {
        var ((a, driverA), b) = (await StartNodeAsync(), await NodeAsync());
        _stores.Add(a);
        var orphan = TestContent.Random(5_000, 77);
        var digest = Digest.Compute(orphan);
        await PushBlobAsync(a, "app", orphan);
        Assert.NotNull(await b.Repository(Name("app")).Blobs.StatAsync(digest, Ct));

        var result = await GarbageCollector.RunAsync(driverA, new GarbageCollectionOptions { Quiet = true }, TextWriter.Null, Ct);

        Assert.Contains(digest, result.DeletedBlobs);
        Assert.Null(await b.Repository(Name("app")).Blobs.StatAsync(digest, Ct));
        await PushBlobAsync(b, "app", orphan);
        Assert.NotNull(await a.Repository(Name("app")).Blobs.StatAsync(digest, Ct));
        Assert.NotNull(await b.Repository(Name("app")).Blobs.StatAsync(digest, Ct));
    }

    public ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static RepositoryName Name(string name) => RepositoryName.Parse(name);

    private async Task<RegistryStore> NodeAsync()
    {
        var (store, _) = await StartNodeAsync();
        _stores.Add(store);
        return store;
    }

    private static ManifestBuilder Image(int seed) => new ManifestBuilder().Layer(TestContent.Random(100 + seed, seed));

    private static Task<StoredManifest?> GetAsync(RegistryStore node, string repository, string tag) =>
        node.Repository(Name(repository)).Manifests.GetAsync(Reference.Of(Tag.Parse(tag)), Ct);

    private static async Task PushBlobAsync(RegistryStore node, string repository, byte[] content)
    {
        var uploads = node.Repository(Name(repository)).Uploads;
        var upload = await uploads.StartAsync(Ct);
        await uploads.CompleteAsync(upload.Id, Digest.Compute(content), TestContent.Stream(content), null, Ct);
    }

    private static async Task<StoredManifest> PushAsync(RegistryStore node, string repository, ManifestBuilder image, string tag)
    {
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(node, repository, blob);
        }

        return await node.Repository(Name(repository)).Manifests.PutAsync(Reference.Of(Tag.Parse(tag)), image.Build(), null, [], Ct);
    }
}
