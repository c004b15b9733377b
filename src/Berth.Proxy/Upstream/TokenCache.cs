using System.Collections.Concurrent;

namespace Berth.Proxy.Upstream;

/// <summary>
/// Bearer tokens of one upstream, kept per scope until they expire. When many pulls need the same scope at once (a
/// deploy pulling one image on every node), one of them asks the token server and the others wait for its answer.
/// A failed request is not kept: the next caller asks again.
/// </summary>
internal sealed class TokenCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, BearerToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<BearerToken>>> _fetching = new(StringComparer.Ordinal);

    /// <summary>A token for <paramref name="key"/> that is still valid, or null.</summary>
    public BearerToken? Cached(string key) =>
        _tokens.TryGetValue(key, out var token) && token.IsValidAt(time.GetUtcNow()) ? token : null;

    /// <summary>The cached token for <paramref name="key"/>, or the one <paramref name="fetch"/> gets (once for all callers).</summary>
    /// <param name="fetch">Asks the token server; runs without the caller's cancellation, since others may wait for it.</param>
    public async Task<BearerToken> GetAsync(string key, Func<Task<BearerToken>> fetch, CancellationToken cancellationToken)
    {
        if (Cached(key) is { } cached)
        {
            return cached;
        }

        var fetching = _fetching.GetOrAdd(key, _ => new Lazy<Task<BearerToken>>(() => FetchAsync(key, fetch)));
        return await fetching.Value.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets <paramref name="key"/>'s token: the upstream refused it (revoked, or its clock differs).</summary>
    public void Forget(string key) => _tokens.TryRemove(key, out _);

    private async Task<BearerToken> FetchAsync(string key, Func<Task<BearerToken>> fetch)
    {
        try
        {
            var token = await fetch();
            _tokens[key] = token;
            return token;
        }
        finally
        {
            _fetching.TryRemove(key, out _);
        }
    }
}
