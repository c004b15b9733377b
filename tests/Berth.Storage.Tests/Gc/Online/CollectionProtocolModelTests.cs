using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Core;
using Berth.Storage.Gc.Online;

namespace Berth.Storage.Tests.Gc.Online;

/// <summary>
/// The protocol of <see cref="ICollectionBarrier"/> played out in memory: clients push manifests that name blobs from
/// a small shared pool (uploading a blob first when it is missing or condemned) and delete manifests, each client on
/// a node of its own, while a collector runs cycle after cycle with no grace at all. Whatever the interleaving, no
/// blob that a live manifest names is ever deleted. The seed is printed so a failure can be replayed.
/// </summary>
public abstract class CollectionProtocolModelTests
{
    private const int Clients = 6;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>How long clients push at least.</summary>
    protected virtual TimeSpan RunTime => TimeSpan.FromSeconds(3);

    /// <summary>At least this many cycles must run for the test to say anything.</summary>
    protected virtual int MinimumCycles => 10;

    /// <summary>How many blobs the clients share.</summary>
    protected virtual int PoolSize => 48;

    /// <summary>
    /// The longest pause of a client between requests, in milliseconds: real clients pause, and a cycle must find
    /// blobs nobody protected lately, or nothing would ever be collected.
    /// </summary>
    protected virtual int ClientPauseMs => 1;

    /// <summary>Barriers over one shared state: one per client (a node each), and the collector's.</summary>
    protected abstract Task<(IReadOnlyList<ICollectionBarrier> Clients, ICollectionBarrier Collector)> NodesAsync(int clients);

    [Fact]
    public async Task PushesDeletesAndCollection_Interleaved_NoNamedBlobIsEverDeleted()
    {
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var (nodes, collectorNode) = await NodesAsync(Clients);
        var model = new Model(collectorNode, seed, PoolSize, ClientPauseMs);

        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(() => model.ClientAsync(nodes[i], i, stop.Token), Ct)).ToList();
        var collector = Task.Run(() => model.CollectorAsync(stop.Token), Ct);
        try
        {
            // At least the run time, and on until the run did enough to say something: a loaded machine does less per second.
            await Task.Delay(RunTime, Ct);
            // The asserts below report what was done if it never is.
            var longest = Stopwatch.StartNew();
            while (!DidEnough(model) && longest.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50, Ct);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll([.. clients, collector]);
        }

        Assert.True(model.Violations.IsEmpty, $"seed {seed}: " + string.Join("; ", model.Violations.Take(5)));
        Assert.All(model.LiveManifests, manifest => Assert.True(model.Exists(manifest.Blob), $"seed {seed}: live manifest names a deleted blob"));
        // The run did something: otherwise the assertions above would hold vacuously.
        Assert.True(model.Pushed > 100, $"only {model.Pushed} manifests pushed");
        Assert.True(model.Collected > 10, $"only {model.Collected} blobs collected");
        Assert.True(model.Cycles > MinimumCycles, $"only {model.Cycles} cycles");
    }

    private bool DidEnough(Model model) => model.Pushed > 100 && model.Collected > 10 && model.Cycles > MinimumCycles;

    private sealed record ManifestRecord(int Id, Digest Blob);

    private sealed class Model(ICollectionBarrier collector, int seed, int poolSize, int pauseMs)
    {
        private readonly Digest[] _pool = [.. Enumerable.Range(0, poolSize).Select(i => Digest.Compute(BitConverter.GetBytes(i)))];
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

        public async Task ClientAsync(ICollectionBarrier node, int client, CancellationToken stop)
        {
            var random = new Random(seed + client);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(random.Next(pauseMs + 1), CancellationToken.None);
                if (random.Next(3) == 0 && _manifests.Keys.OrderBy(_ => random.Next()).FirstOrDefault() is var id && id != 0)
                {
                    _manifests.TryRemove(id, out _);
                    continue;
                }

                var blob = _pool[random.Next(_pool.Length)];
                if (!await TryPushManifestAsync(node, blob, random))
                {
                    await UploadAsync(node, blob, random);
                }
            }
        }

        public async Task CollectorAsync(CancellationToken stop)
        {
            var random = new Random(seed - 1);
            while (!stop.IsCancellationRequested)
            {
                var cycle = await collector.StartCycleAsync(CancellationToken.None);
                await collector.WaitForEarlierWritesAsync(cycle, CancellationToken.None);
                var marked = _manifests.Values.Select(manifest => manifest.Blob).ToHashSet();
                await Pause(random);
                foreach (var blob in _pool.Where(blob => Exists(blob) && !marked.Contains(blob)))
                {
                    if (!await collector.TryCondemnAsync(blob, cycle, CancellationToken.None))
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
                    await collector.ReleaseAsync(blob, CancellationToken.None);
                }

                await collector.EndCycleAsync(cycle, CancellationToken.None);
                Interlocked.Increment(ref _cycles);
            }
        }

        /// <summary>A manifest PUT: protect what it names, check it exists, write the manifest. False: MANIFEST_BLOB_UNKNOWN.</summary>
        private async Task<bool> TryPushManifestAsync(ICollectionBarrier node, Digest blob, Random random)
        {
            await using var ticket = await node.BeginWriteAsync(CancellationToken.None);
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
        private async Task UploadAsync(ICollectionBarrier node, Digest blob, Random random)
        {
            await using var ticket = await node.BeginWriteAsync(CancellationToken.None);
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
