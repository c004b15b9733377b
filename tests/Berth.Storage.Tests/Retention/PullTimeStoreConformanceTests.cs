using Berth.Core;
using Berth.Storage.Retention;

namespace Berth.Storage.Tests.Retention;

/// <summary>
/// What every <see cref="IPullTimeStore"/> keeps, in the store and in Redis: the later time per key whatever order
/// flushes come in, repositories apart, and forgetting only what is named.
/// </summary>
public abstract class PullTimeStoreConformanceTests
{
    protected static readonly DateTimeOffset Noon = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An empty store in which <paramref name="repositories"/> exist.</summary>
    protected abstract Task<IPullTimeStore> CreateAsync(params RepositoryName[] repositories);

    [Fact]
    public async Task Read_NothingRecorded_IsEmpty()
    {
        var store = await CreateAsync(RepositoryName.Parse("app"));

        Assert.Empty(await store.ReadAsync(RepositoryName.Parse("app"), Ct));
    }

    [Fact]
    public async Task Record_TagsAndDigests_ReadBackPerRepository()
    {
        var (app, tools) = (RepositoryName.Parse("team/app"), RepositoryName.Parse("tools"));
        var store = await CreateAsync(app, tools);
        var digest = Digest.Compute("m"u8).ToString();

        await store.RecordAsync(app, Pulls(("latest", Noon), (digest, Noon.AddMinutes(1))), Ct);
        await store.RecordAsync(tools, Pulls(("latest", Noon.AddHours(1))), Ct);

        var pulls = await store.ReadAsync(app, Ct);
        Assert.Equal(2, pulls.Count);
        Assert.Equal(Noon, pulls["latest"]);
        Assert.Equal(Noon.AddMinutes(1), pulls[digest]);
        Assert.Equal(Noon.AddHours(1), Assert.Single(await store.ReadAsync(tools, Ct)).Value);
    }

    [Fact]
    public async Task Record_OlderTimeAfterNewer_KeepsTheLater()
    {
        var app = RepositoryName.Parse("app");
        var store = await CreateAsync(app);

        await store.RecordAsync(app, Pulls(("v1", Noon.AddHours(2)), ("v2", Noon)), Ct);
        await store.RecordAsync(app, Pulls(("v1", Noon), ("v2", Noon.AddHours(3))), Ct);

        var pulls = await store.ReadAsync(app, Ct);
        Assert.Equal(Noon.AddHours(2), pulls["v1"]);
        Assert.Equal(Noon.AddHours(3), pulls["v2"]);
    }

    [Fact]
    public async Task Record_ConcurrentFlushesOfOneRepository_LoseNoKey()
    {
        var app = RepositoryName.Parse("app");
        var store = await CreateAsync(app);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.RecordAsync(app, Pulls(($"t{i}", Noon.AddSeconds(i))), Ct)));

        Assert.Equal(8, (await store.ReadAsync(app, Ct)).Count);
    }

    [Fact]
    public async Task Forget_NamedKeys_LeavesTheOthers()
    {
        var app = RepositoryName.Parse("app");
        var store = await CreateAsync(app);
        await store.RecordAsync(app, Pulls(("a", Noon), ("b", Noon), ("c", Noon)), Ct);

        await store.ForgetAsync(app, ["a", "c", "never-recorded"], Ct);

        Assert.Equal(["b"], (await store.ReadAsync(app, Ct)).Keys);
        await store.ForgetAsync(app, ["b"], Ct);
        Assert.Empty(await store.ReadAsync(app, Ct));
    }

    /// <summary>Times kept to the millisecond, as every implementation can.</summary>
    protected static Dictionary<string, DateTimeOffset> Pulls(params (string Key, DateTimeOffset At)[] pulls) =>
        pulls.ToDictionary(pull => pull.Key, pull => pull.At, StringComparer.Ordinal);
}
