using System.Diagnostics;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// The Redis side of <see cref="RedisLinkCachingDriver"/>: one string key per cached path holding the file's content
/// (<c>v</c> + bytes), the blob's size (<c>s</c> + size), its absence (<c>n</c>), or a tombstone (<c>t</c>: a write
/// is in flight or just finished, read storage and cache nothing).
/// </summary>
/// <remarks>
/// The safety argument (why no node serves a value older than one another node acknowledged):
/// <list type="number">
/// <item>A writer sets a tombstone (<see cref="PendingLifetime"/>) before it touches storage and sets it again
/// (<see cref="SettleLifetime"/>) after storage acknowledged. A plain SET: whatever was cached before is gone before
/// the storage write can be seen, so after the writer acknowledged, no reader finds the old value in Redis.</item>
/// <item>A reader that misses reads storage and then populates with SET NX, so it can never overwrite a tombstone or
/// a newer value. The one dangerous reader is one that read storage before a write and populates after it: its SET
/// NX comes after the writer's first tombstone, which stands until <see cref="SettleLifetime"/> after the write
/// finished, so the populate fails, provided the reader took less than that from its miss to its populate. Readers
/// that took longer than <see cref="MaxPopulateDelay"/> (half of it, measured on their own monotonic clock) do not
/// populate at all.</item>
/// <item>What remains is bounded by <see cref="EntryLifetime"/>, the expiry of every entry: a writer that is not
/// Berth (registry:2 on the same bucket), a node killed between its storage write and its second tombstone while
/// its first expired, or a Redis that lost recent writes (a failover to a lagging replica, a restored snapshot).</item>
/// </list>
/// </remarks>
/// <param name="counter">Counts each <see cref="GetAsync"/> a hit or a miss (see <see cref="IsHit"/>), with metrics on.</param>
internal sealed class RedisLinkCache(IDatabase database, CacheCounter? counter = null)
{
    /// <summary>How long a cached value lives; the staleness bound for writers that are not Berth nodes.</summary>
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The tombstone before a write: longer than any write takes, short enough to heal after a crash.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The tombstone after a write: reads go to storage this long, then the next reader populates.</summary>
    public static readonly TimeSpan SettleLifetime = TimeSpan.FromSeconds(10);

    /// <summary>A reader slower than this between its miss and its populate does not populate (see the remarks).</summary>
    public static readonly TimeSpan MaxPopulateDelay = SettleLifetime / 2;

    private const string Prefix = "berth:path:";
    private static readonly RedisValue Tombstone = "t";
    private static readonly RedisValue Absent = "n";

    /// <summary>The cached state of a path; <see cref="RedisValue.IsNull"/> on a miss.</summary>
    /// <remarks>A lookup that fails is counted a miss, as registry:2 counts a cache error; the caller's request then fails.</remarks>
    public async Task<RedisValue> GetAsync(StoragePath path)
    {
        RedisValue value;
        try
        {
            value = await database.StringGetAsync(Key(path), CommandFlags.DemandMaster);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            counter?.Count(hit: false);
            throw RedisFailure.Wrap(e);
        }

        counter?.Count(IsHit(value));
        return value;
    }

    /// <summary>Whether the value answers for storage: something cached, neither a miss nor a tombstone (storage is read then).</summary>
    public static bool IsHit(RedisValue value) => !value.IsNull && !IsTombstone(value);

    public static bool IsTombstone(RedisValue value) => value == Tombstone;

    public static bool IsAbsent(RedisValue value) => value == Absent;

    /// <summary>The content of a cached link (<c>v</c> + bytes), or null if the value is something else.</summary>
    public static byte[]? Content(RedisValue value)
    {
        var bytes = (byte[]?)value;
        return bytes is [(byte)'v', ..] ? bytes[1..] : null;
    }

    /// <summary>The size of cached blob content (<c>s</c> + digits), or null if the value is something else.</summary>
    public static long? Size(RedisValue value)
    {
        var text = (string?)value;
        return text is ['s', ..] && long.TryParse(text.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : null;
    }

    public static RedisValue ForContent(byte[]? content) => content is null ? Absent : (byte[])[(byte)'v', .. content];

    public static RedisValue ForSize(long size) => "s" + size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static RedisValue ForAbsence() => Absent;

    /// <summary>
    /// Caches what a reader found in storage, unless a value or tombstone is already there or the reader took too long
    /// since its miss (<paramref name="missedAt"/>, a <see cref="Stopwatch"/> timestamp). Not awaited: a lost populate
    /// only costs the next reader a storage read.
    /// </summary>
    public void Populate(StoragePath path, RedisValue value, long missedAt)
    {
        if (Stopwatch.GetElapsedTime(missedAt) >= MaxPopulateDelay)
        {
            return;
        }

        try
        {
            database.StringSet(Key(path), value, EntryLifetime, When.NotExists, CommandFlags.FireAndForget | CommandFlags.DemandMaster);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            // Disconnected since the read: nothing is cached, which is always safe.
        }
    }

    /// <summary>Before a write: from here on no reader serves or caches what the paths held. Failing stops the write.</summary>
    public Task MarkPendingAsync(IReadOnlyList<StoragePath> paths) => MarkAsync(paths, PendingLifetime);

    /// <summary>
    /// After a write: the tombstone now lasts <see cref="SettleLifetime"/> from here. Failing leaves the pending tombstone,
    /// which keeps readers on storage until it expires, so the failure is not the caller's.
    /// </summary>
    public async Task MarkSettledAsync(IReadOnlyList<StoragePath> paths)
    {
        try
        {
            await MarkAsync(paths, SettleLifetime);
        }
        catch (Berth.Core.Errors.ServiceUnavailableException)
        {
            // Safe as described: readers meet the pending tombstone.
        }
    }

    private async Task MarkAsync(IReadOnlyList<StoragePath> paths, TimeSpan lifetime)
    {
        if (paths.Count == 0)
        {
            return;
        }

        try
        {
            if (paths.Count == 1)
            {
                await database.StringSetAsync(Key(paths[0]), Tombstone, lifetime, When.Always, CommandFlags.DemandMaster);
                return;
            }

            // One SET per path, pipelined: on a Cluster the paths hash to different slots and the client sends each
            // SET to its slot's master (a batch is not a transaction, so no CROSSSLOT). Nothing needs them atomic:
            // every tombstone is acknowledged before the storage write starts, which is all the argument above uses.
            var batch = database.CreateBatch();
            var sets = paths.Select(path => batch.StringSetAsync(Key(path), Tombstone, lifetime, When.Always, CommandFlags.DemandMaster)).ToList();
            batch.Execute();
            await Task.WhenAll(sets);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    private static RedisKey Key(StoragePath path) => Prefix + path.Value;
}
