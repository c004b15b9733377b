using System.Collections.Concurrent;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.State;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// The catalog in Redis: one sorted set of names (all scored 0, so ordered by their bytes as the spec orders them),
/// paged with ZRANGEBYLEX, added to with ZADD after the write that made a repository. Every node sees a new
/// repository at its next request. Neither key expires: the eviction policy must not be <c>allkeys-*</c>.
/// </summary>
/// <remarks>
/// A marker key says the set was filled from storage. When it is missing (a fresh Redis, one restarted without
/// persistence, a flushed database) one node, under the <c>catalog-rebuild</c> lease, walks storage into the set in
/// the background and then sets the marker. A catalog request waits for the marker (up to 30 s, then 503), so no page
/// misses a repository written before Redis lost it. Cluster: both keys share the <c>{catalog}</c> hash tag, so they live in one slot.
/// <para>
/// A removal (repository deletion) is a ZREM, then a message on <c>berth:{catalog}:removed</c> that makes every node
/// forget the name in its set of names known to be in Redis, so its next push of that repository adds it again. A node
/// that lost its connection may have missed such messages: it forgets every known name when the connection returns.
/// </para>
/// </remarks>
internal sealed partial class RedisCatalogIndex(IDatabase database, ILeases leases, ILogger logger, ISubscriber? subscriber = null) : ICatalogIndex
{
    private static readonly RedisChannel Removed = RedisChannel.Literal("berth:{catalog}:removed");

    private const string RebuildLease = "catalog-rebuild";
    private const int KnownLimit = 100_000;
    private static readonly RedisKey Names = "berth:{catalog}:names";
    private static readonly RedisKey Filled = "berth:{catalog}:filled";
    private static readonly TimeSpan RebuildLeaseDuration = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FillWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FillPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Names this node added since it started, to skip the ZADD on every later push. Safe after Redis loses them: the
    /// marker is then gone too, and the rebuild's walk, which starts after the loss, finds every name added before it.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);
    private IStorageDriver? _driver;
    private int _rebuilding;

    /// <summary>1 once subscribed to removals (or while subscribing).</summary>
    private int _subscribed;

    /// <summary>The rebuild this node started last (for tests).</summary>
    internal Task LastRebuild { get; private set; } = Task.CompletedTask;

    public async Task InitializeAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        _driver = driver;
        await SubscribeAsync();
        try
        {

            if (!await database.KeyExistsAsync(Filled, CommandFlags.DemandMaster))
            {
                StartRebuild();
                await LastRebuild;
            }
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            // Berth starts without Redis; the first catalog request after it is back starts the rebuild.
            LogNotFilled(logger, e);
        }
    }

    public async ValueTask<RepositoryPage> PageAsync(string? last, int count, CancellationToken cancellationToken)
    {
        try
        {
            var batch = database.CreateBatch();
            var names = batch.SortedSetRangeByValueAsync(Names, last is null ? default : (RedisValue)last, default,
                last is null ? Exclude.None : Exclude.Start, 0, count + 1L, CommandFlags.DemandMaster);
            var filled = batch.KeyExistsAsync(Filled, CommandFlags.DemandMaster);
            batch.Execute();
            var page = await names;
            if (!await filled && _driver is not null)
            {
                // A page from a set being filled would miss acknowledged repositories: wait for the fill instead.
                // (Without a driver, before InitializeAsync, there is no storage to fill from.)
                await WaitUntilFilledAsync(cancellationToken);
                page = await database.SortedSetRangeByValueAsync(Names, last is null ? default : (RedisValue)last, default,
                    last is null ? Exclude.None : Exclude.Start, 0, count + 1L, CommandFlags.DemandMaster);
            }

            var hasMore = page.Length > count;
            return new RepositoryPage([.. page.Take(count).Select(name => name.ToString())], hasMore);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    public async ValueTask<bool> ContainsAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        try
        {
            return await database.SortedSetScoreAsync(Names, name.Value, CommandFlags.DemandMaster) is not null;
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    public async ValueTask AddAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        // Without the removal messages another node's deletion would go unnoticed here: then every push adds.
        var trustKnown = subscriber is null || Volatile.Read(ref _subscribed) == 1;
        if (trustKnown && _known.ContainsKey(name.Value))
        {
            return;
        }

        try
        {
            await database.SortedSetAddAsync(Names, name.Value, 0, CommandFlags.DemandMaster);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }

        if (_known.Count >= KnownLimit)
        {
            _known.Clear();
        }

        _known.TryAdd(name.Value, 0);
    }

    public async ValueTask RemoveAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        _known.TryRemove(name.Value, out _);
        try
        {
            await database.SortedSetRemoveAsync(Names, name.Value, CommandFlags.DemandMaster);
            if (subscriber is not null)
            {
                await subscriber.PublishAsync(Removed, name.Value);
            }
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    /// <summary>
    /// Forgets which names this node knows are in Redis (after a reconnect it may have missed removals), and subscribes
    /// if the subscription at start failed because Redis was down.
    /// </summary>
    public void ForgetKnown()
    {
        _known.Clear();
        _ = SubscribeAsync();
    }

    private async Task SubscribeAsync()
    {
        if (subscriber is null || Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            await subscriber.SubscribeAsync(Removed, (channel, name) => _known.TryRemove(name.ToString(), out _));
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            // Tried again when the connection comes back; meanwhile pushes do not trust the known names.
            Volatile.Write(ref _subscribed, 0);
            LogNotSubscribed(logger, e);
        }
    }

    /// <summary>
    /// Starts the fill (or lets another node's run) and waits for the marker; past <see cref="FillWait"/> the request
    /// is answered 503 and the client retries, rather than getting a catalog without the repositories not read yet.
    /// </summary>
    private async Task WaitUntilFilledAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + FillWait;
        do
        {
            StartRebuild();
            await Task.WhenAny(LastRebuild, Task.Delay(FillPoll, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (await database.KeyExistsAsync(Filled, CommandFlags.DemandMaster))
            {
                return;
            }
        }
        while (DateTimeOffset.UtcNow < deadline);

        throw new ServiceUnavailableException("redis", "the catalog is being filled from storage after Redis lost it; retry shortly");
    }

    private void StartRebuild()
    {
        if (_driver is not null && Interlocked.Exchange(ref _rebuilding, 1) == 0)
        {
            LastRebuild = RebuildAsync(_driver);
        }
    }

    /// <summary>Walks storage into the set under the lease (another node's rebuild makes this one a no-op), then marks it filled.</summary>
    private async Task RebuildAsync(IStorageDriver driver)
    {
        try
        {
            if (await leases.TryAcquireAsync(RebuildLease, RebuildLeaseDuration, CancellationToken.None) is not { } lease)
            {
                return;
            }

            await using var kept = new KeptLease(lease, RebuildLeaseDuration);
            LogRebuilding(logger);
            var found = await CatalogScan.FindAsync(driver, CancellationToken.None);
            foreach (var chunk in found.Chunk(1000))
            {
                await database.SortedSetAddAsync(Names, [.. chunk.Select(name => new SortedSetEntry(name, 0))], CommandFlags.DemandMaster);
            }

            await database.StringSetAsync(Filled, DateTimeOffset.UtcNow.ToString("O"), null, When.Always, CommandFlags.DemandMaster);
            LogRebuilt(logger, found.Count);
        }
        catch (Exception e)
        {
            // The marker stays missing, so the next catalog request tries again.
            LogRebuildFailed(logger, e);
        }
        finally
        {
            Volatile.Write(ref _rebuilding, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "redis: cannot subscribe to catalog removals yet; retried when the connection returns")]
    private static partial void LogNotSubscribed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "redis: cannot check the catalog at start; it is filled from storage once Redis answers")]
    private static partial void LogNotFilled(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "redis: the catalog is not filled (new or restarted Redis); reading the repositories from storage")]
    private static partial void LogRebuilding(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "redis: catalog filled with {Count} repositories from storage")]
    private static partial void LogRebuilt(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "redis: filling the catalog from storage failed; the next catalog request tries again")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception);
}
