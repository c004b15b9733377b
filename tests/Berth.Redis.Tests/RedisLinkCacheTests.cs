using System.Globalization;
using System.Text;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.Stores;

namespace Berth.Redis.Tests;

/// <summary>What the link cache keeps in Redis: values with an expiry, tombstones around writes, nothing for other paths.</summary>
public sealed class RedisLinkCacheTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly RepositoryName App = RepositoryName.Parse("team/app");
    private static readonly Digest First = Digest.Compute("first"u8);
    private static readonly Digest Second = Digest.Compute("second"u8);
    private readonly InMemoryDriver _storage = new();
    private RedisLinkCachingDriver? _driver;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisLinkCachingDriver Driver => _driver!;

    public async ValueTask InitializeAsync()
    {
        await redis.FlushAsync();
        _driver = new RedisLinkCachingDriver(_storage, await redis.ConnectAsync());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Read_Missed_PopulatesWithAnExpiryAndLaterReadsComeFromRedis()
    {
        var link = RegistryPaths.TagCurrentLink(App, Tag.Parse("latest"));
        await _storage.WriteLinkAsync(link, First, Ct);

        Assert.Equal(First, await Driver.ReadAsync(link, Ct));
        await WaitForKeyAsync(link);
        // Changed behind the cache's back, as a registry that is not Berth would: Redis still answers, for at most its expiry.
        await _storage.WriteLinkAsync(link, Second, Ct);

        Assert.Equal(First, await Driver.ReadAsync(link, Ct));
        Assert.Equal(First.ToString().Length, (await Driver.StatAsync(link, Ct))?.Size);
        var ttl = await TtlAsync(link);
        Assert.InRange(ttl, 1, (long)RedisLinkCache.EntryLifetime.TotalMilliseconds);
    }

    [Fact]
    public async Task Write_ThroughTheCache_LeavesAShortTombstoneAndReadsGoToStorage()
    {
        var link = RegistryPaths.RevisionLink(App, First);
        await _storage.WriteLinkAsync(link, First, Ct);
        await Driver.ReadAsync(link, Ct);
        await WaitForKeyAsync(link);

        await Driver.WriteLinkAsync(link, Second, Ct);

        Assert.Equal("t", await ValueAsync(link));
        Assert.InRange(await TtlAsync(link), 1, (long)RedisLinkCache.SettleLifetime.TotalMilliseconds);
        Assert.Equal(Second, await Driver.ReadAsync(link, Ct));
        Assert.Equal("t", await ValueAsync(link));
    }

    [Fact]
    public async Task Delete_RepositoryFolder_TombstonesEveryCachedLinkBelowIt()
    {
        var tag = RegistryPaths.TagCurrentLink(App, Tag.Parse("v1"));
        var revision = RegistryPaths.RevisionLink(App, First);
        var layer = RegistryPaths.LayerLink(App, Second);
        foreach (var (link, digest) in new[] { (tag, First), (revision, First), (layer, Second) })
        {
            await _storage.WriteLinkAsync(link, digest, Ct);
            await Driver.ReadAsync(link, Ct);
            await WaitForKeyAsync(link);
        }

        await Driver.DeleteAsync(RegistryPaths.Repository(App), Ct);

        foreach (var link in new[] { tag, revision, layer })
        {
            Assert.Equal("t", await ValueAsync(link));
            Assert.Null(await Driver.ReadAsync(link, Ct));
        }
    }

    [Fact]
    public async Task Stat_BlobContent_CachesItsSizeAndADeleteOfItsFolderTombstonesIt()
    {
        var data = RegistryPaths.BlobData(First);
        await _storage.WriteAllAsync(data, "first"u8.ToArray(), Ct);

        Assert.Equal(5, (await Driver.StatAsync(data, Ct))?.Size);
        await WaitForKeyAsync(data);
        Assert.Equal("s5", await ValueAsync(data));

        await Driver.DeleteAsync(data.Parent, Ct);

        Assert.Equal("t", await ValueAsync(data));
        Assert.Null(await Driver.StatAsync(data, Ct));
    }

    [Fact]
    public async Task Read_OtherPaths_NothingKeptInRedis()
    {
        var index = RegistryPaths.TagIndexLink(App, Tag.Parse("v1"), First);
        await _storage.WriteLinkAsync(index, First, Ct);
        await _storage.WriteAllAsync(StoragePath.Parse("elsewhere/link"), Encoding.ASCII.GetBytes(First.ToString()), Ct);

        Assert.Equal(First, await Driver.ReadAsync(index, Ct));
        Assert.Equal(First, await Driver.ReadAsync(StoragePath.Parse("elsewhere/link"), Ct));

        Assert.Equal("0", (await redis.Server.CliAsync(["DBSIZE"], Ct)).Trim());
    }

    [Fact]
    public async Task Lookups_Counted_MissThenHitsAndATombstoneIsAMissOtherPathsNotCounted()
    {
        var counter = new CacheCounter("links");
        var driver = new RedisLinkCachingDriver(_storage, await redis.ConnectAsync(), counter);
        var link = RegistryPaths.TagCurrentLink(App, Tag.Parse("counted"));
        var data = RegistryPaths.BlobData(First);
        await _storage.WriteLinkAsync(link, First, Ct);
        await _storage.WriteAllAsync(data, "first"u8.ToArray(), Ct);

        Assert.Equal(First, await driver.ReadAsync(link, Ct));
        await WaitForKeyAsync(link);
        Assert.Equal(First, await driver.ReadAsync(link, Ct));
        Assert.NotNull(await driver.StatAsync(link, Ct));
        Assert.Equal((2L, 1L), (counter.Hits, counter.Misses));

        Assert.Equal(5, (await driver.StatAsync(data, Ct))?.Size);
        await WaitForKeyAsync(data);
        Assert.Equal(5, (await driver.StatAsync(data, Ct))?.Size);
        await driver.WriteLinkAsync(link, Second, Ct);
        Assert.Equal(Second, await driver.ReadAsync(link, Ct));
        await driver.StatAsync(RegistryPaths.TagIndexLink(App, Tag.Parse("counted"), First), Ct);

        Assert.Equal((3L, 3L), (counter.Hits, counter.Misses));
    }

    /// <summary>Populating is fire-and-forget: wait until Redis has the key (a poll, not a guess).</summary>
    private async Task WaitForKeyAsync(StoragePath path)
    {
        for (var i = 0; i < 200 && await ValueAsync(path) is ""; i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.NotEqual("", await ValueAsync(path));
    }

    private async Task<string> ValueAsync(StoragePath path)
    {
        var value = (await redis.Server.CliAsync(["GET", "berth:path:" + path.Value], Ct)).Trim();
        return value.Length > 0 && value[0] == 'v' ? "v" : value;
    }

    private async Task<long> TtlAsync(StoragePath path) =>
        long.Parse((await redis.Server.CliAsync(["PTTL", "berth:path:" + path.Value], Ct)).Trim(), CultureInfo.InvariantCulture);
}
