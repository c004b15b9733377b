using Berth.Proxy.Upstream;

namespace Berth.Proxy.Tests;

public sealed class TokenCacheTests
{
    private readonly ManualTimeProvider _time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_UntilTheTokenExpires_FetchesOnce()
    {
        var cache = new TokenCache(_time);
        var fetches = 0;
        Task<BearerToken> Fetch() => Task.FromResult(new BearerToken($"t{++fetches}", _time.GetUtcNow().AddMinutes(1)));

        var first = await cache.GetAsync("repository:a:pull", Fetch, Ct);
        _time.Advance(TimeSpan.FromSeconds(59));
        var second = await cache.GetAsync("repository:a:pull", Fetch, Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        var third = await cache.GetAsync("repository:a:pull", Fetch, Ct);

        Assert.Equal(["t1", "t1", "t2"], [first.Value, second.Value, third.Value]);
        Assert.Null(cache.Cached("repository:b:pull"));
    }

    [Fact]
    public async Task GetAsync_TwentyCallersAtOnce_OneFetchForAll()
    {
        var cache = new TokenCache(_time);
        var release = new TaskCompletionSource<BearerToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetches = 0;
        Task<BearerToken> Fetch()
        {
            Interlocked.Increment(ref fetches);
            return release.Task;
        }

        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.GetAsync("s", Fetch, Ct), Ct)).ToList();
        await Task.Delay(50, Ct);
        release.SetResult(new BearerToken("shared", _time.GetUtcNow().AddMinutes(5)));
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, fetches);
        Assert.All(tokens, token => Assert.Equal("shared", token.Value));
    }

    [Fact]
    public async Task GetAsync_FetchFails_NotKeptAndTheNextCallerAsksAgain()
    {
        var cache = new TokenCache(_time);

        await Assert.ThrowsAsync<UpstreamException>(() => cache.GetAsync("s", () => throw new UpstreamException("down"), Ct));
        var token = await cache.GetAsync("s", () => Task.FromResult(new BearerToken("ok", _time.GetUtcNow().AddMinutes(1))), Ct);

        Assert.Equal("ok", token.Value);
    }

    [Fact]
    public async Task Forget_ValidToken_NextGetFetches()
    {
        var cache = new TokenCache(_time);
        await cache.GetAsync("s", () => Task.FromResult(new BearerToken("old", _time.GetUtcNow().AddMinutes(1))), Ct);

        cache.Forget("s");

        Assert.Null(cache.Cached("s"));
    }
}
