using System.Collections.Concurrent;
using Berth.Core;
using Berth.Storage.Gc.Online;

namespace Berth.Storage.Tests.Gc.Online;

/// <summary>
/// The protocol of <see cref="ICollectionBarrier"/> played out in memory at full speed: clients push manifests that
/// name blobs from a small shared pool (uploading a blob first when it is missing or condemned) and delete
/// manifests, while a collector runs cycle after cycle with no grace at all. Whatever the interleaving, no blob
/// that a live manifest names is ever deleted. The seed is printed so a failure can be replayed.
/// </summary>
public sealed class CollectionProtocolModelTests
{
    private const int PoolSize = 48;
    private const int Clients = 6;
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PushesDeletesAndCollection_Interleaved_NoNamedBlobIsEverDeleted()
    {
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var model = new Model(new InProcessCollectionBarrier(), seed);

        using var stop = new CancellationTokenSource(RunTime);
        var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(() => model.ClientAsync(i, stop.Token), Ct)).ToList();
        var collector = Task.Run(() => model.CollectorAsync(stop.Token), Ct);
        await Task.WhenAll([.. clients, collector]);

        Assert.True(model.Violations.IsEmpty, $"seed {seed}: " + string.Join("; ", model.Violations.Take(5)));
        Assert.All(model.LiveManifests, manifest => Assert.True(model.Exists(manifest.Blob), $"seed {seed}: live manifest names a deleted blob"));
        // The run did something: otherwise the assertions above would hold vacuously.
        Assert.True(model.Pushed > 100, $"only {model.Pushed} manifests pushed");
        Assert.True(model.Collected > 10, $"only {model.Collected} blobs collected");
        Assert.True(model.Cycles > 10, $"only {model.Cycles} cycles");
    }

    private sealed record ManifestRecord(int Id, Digest Blob);

    private sealed class Model(ICollectionBarrier barrier, int seed)
    {
        private readonly Digest[] _pool = [.. Enumerable.Range(0, PoolSize).Select(i => Digest.Compute(BitConverter.GetBytes(i)))];
        private readonly ConcurrentDictionary<Digest, bool> _blobs = new();
        private readonly ConcurrentDictionary<int, ManifestRecord> _manifests = new();
        private int _nextManifest;
        private int _pushed;
        private int _collected;
        private int _cycles;

        public ConcurrentQueue<string> Violations { get; } = new();

        public IEnumerable<ManifestRecord> LiveManifests => _manifests.Values;

        public int Pushed => _pushed;

        public int Collected => _collected;

        public int Cycles => _cycles;

        public bool Exists(Digest blob) => _blobs.GetValueOrDefault(blob);

        public async Task ClientAsync(int client, CancellationToken stop)
        {
            var random = new Random(seed + client);
            while (!stop.IsCancellationRequested)
            {
                // Clients pause between requests, as real ones do, so a cycle finds blobs nobody protected lately.
                await Task.Delay(random.Next(2), CancellationToken.None);
                if (random.Next(3) == 0 && _manifests.Keys.OrderBy(_ => random.Next()).FirstOrDefault() is var id && id != 0)
                {
                    _manifests.TryRemove(id, out _);
                    continue;
                }

                var blob = _pool[random.Next(PoolSize)];
                if (!await TryPushManifestAsync(blob, random))
                {
                    await UploadAsync(blob, random);
                }
            }
        }

        public async Task CollectorAsync(CancellationToken stop)
        {
            var random = new Random(seed - 1);
            while (!stop.IsCancellationRequested)
            {
                var cycle = await barrier.StartCycleAsync(CancellationToken.None);
                await barrier.WaitForEarlierWritesAsync(cycle, CancellationToken.None);
                var marked = _manifests.Values.Select(manifest => manifest.Blob).ToHashSet();
                await Pause(random);
                foreach (var blob in _pool.Where(blob => Exists(blob) && !marked.Contains(blob)))
                {
                    if (!await barrier.TryCondemnAsync(blob, cycle, CancellationToken.None))
                    {
                        continue;
                    }

                    await Pause(random);
                    if (_manifests.Values.Any(manifest => manifest.Blob == blob))
                    {
                        Violations.Enqueue($"cycle {cycle} deleted {blob.Hex[..8]} while a live manifest names it");
                    }

                    _blobs[blob] = false;
                    Interlocked.Increment(ref _collected);
                    await barrier.ReleaseAsync(blob, CancellationToken.None);
                }

                await barrier.EndCycleAsync(cycle, CancellationToken.None);
                Interlocked.Increment(ref _cycles);
            }
        }

        /// <summary>A manifest PUT: protect what it names, check it exists, write the manifest. False: MANIFEST_BLOB_UNKNOWN.</summary>
        private async Task<bool> TryPushManifestAsync(Digest blob, Random random)
        {
            await using var ticket = await barrier.BeginWriteAsync(CancellationToken.None);
            var condemned = await ticket.ProtectAsync([blob], CancellationToken.None);
            await Pause(random);
            if (condemned.Contains(blob) || !Exists(blob))
            {
                return false;
            }

            await Pause(random);
            var id = Interlocked.Increment(ref _nextManifest);
            _manifests[id] = new ManifestRecord(id, blob);
            Interlocked.Increment(ref _pushed);
            return true;
        }

        /// <summary>An upload commit: protect the digest, wait out a deletion in progress, then store the content.</summary>
        private async Task UploadAsync(Digest blob, Random random)
        {
            await using var ticket = await barrier.BeginWriteAsync(CancellationToken.None);
            if ((await ticket.ProtectAsync([blob], CancellationToken.None)).Contains(blob))
            {
                await ticket.WaitUntilReleasedAsync(blob, CancellationToken.None);
            }

            await Pause(random);
            _blobs[blob] = true;
        }

        // Yields at random points so the interleavings vary from run to run.
        private static async Task Pause(Random random)
        {
            if (random.Next(4) == 0)
            {
                await Task.Yield();
            }
        }
    }
}
