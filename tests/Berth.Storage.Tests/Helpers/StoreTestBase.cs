using Berth.Core;
using Berth.Core.Manifests;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Gc.Online;
using Berth.Storage.State;
using Berth.Storage.Stores;
using Berth.TestKit;

namespace Berth.Storage.Tests.Helpers;

public enum Backend
{
    Filesystem,
    InMemory,
}

/// <summary>
/// Store tests run against every driver: each test class is abstract over <see cref="Backend"/> and has one small
/// concrete class per driver. Several <see cref="RegistryStore"/>s may share one driver, as restarted processes
/// or several nodes share one storage.
/// </summary>
public abstract class StoreTestBase : IDisposable
{
    private readonly TempDirectory? _temp;
    private readonly List<RegistryStore> _stores = [];

    /// <param name="clockedFiles">The in-memory driver stamps files with <see cref="Time"/> instead of the system clock.</param>
    protected StoreTestBase(Backend backend, bool clockedFiles = false)
    {
        if (backend == Backend.Filesystem)
        {
            _temp = new TempDirectory("berth-store");
            Driver = new FilesystemDriver(_temp.Path);
        }
        else
        {
            Driver = clockedFiles ? new InMemoryDriver(Time) : new InMemoryDriver();
        }
    }

    protected IStorageDriver Driver { get; }

    protected FixedTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over the shared driver, initialized as at process start (its caches empty).</summary>
    /// <param name="cacheCounters">Where its caches count hits and misses, as with metrics on.</param>
    /// <param name="barrier">What its requests and an online collector agree on; none (online collection off) when null.</param>
    /// <param name="options">Options beyond those above (retention's tag lock, immutable tags); the above are set on them.</param>
    /// <param name="driver">Another driver over the same storage (one that intercepts calls); the shared one when null.</param>
    protected async Task<RegistryStore> OpenStoreAsync(bool deleteEnabled = false, ManifestValidationOptions? validation = null,
        StoreCacheCounters? cacheCounters = null, ICollectionBarrier? barrier = null, StoreOptions? options = null, IStorageDriver? driver = null)
    {
        options = (options ?? new StoreOptions()) with { DeleteEnabled = deleteEnabled, Validation = validation ?? ManifestValidationOptions.Default };
        var state = barrier is null ? null : RegistryState.InProcess(Time) with { Barrier = barrier };
        var store = new RegistryStore(driver ?? Driver, options, Time, state, cacheCounters);
        _stores.Add(store);
        await store.InitializeAsync(Ct);
        return store;
    }

    protected async Task<IRepository> OpenRepositoryAsync(string name, bool deleteEnabled = false) =>
        (await OpenStoreAsync(deleteEnabled)).Repository(RepositoryName.Parse(name));

    /// <summary>Uploads <paramref name="content"/> in one request (a monolithic push).</summary>
    protected static async Task<BlobInfo> PushBlobAsync(IRepository repository, byte[] content)
    {
        var upload = await repository.Uploads.StartAsync(Ct);
        return await repository.Uploads.CompleteAsync(upload.Id, Digest.Compute(content), TestContent.Stream(content), null, Ct);
    }

    /// <summary>Pushes the blobs the manifest names, then the manifest under <paramref name="tag"/> (or by digest).</summary>
    protected static async Task<StoredManifest> PushImageAsync(IRepository repository, ManifestBuilder image, string? tag)
    {
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(repository, blob);
        }

        var bytes = image.Build();
        var reference = tag is null ? Reference.Of(Digest.Compute(bytes)) : Reference.Of(Tag.Parse(tag));
        return await repository.Manifests.PutAsync(reference, bytes, null, [], Ct);
    }

    /// <summary>An image with one layer that differs by <paramref name="seed"/>.</summary>
    protected static ManifestBuilder Image(int seed) => new ManifestBuilder().Layer(TestContent.Random(100 + seed, seed));

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _temp?.Dispose();
    }
}
