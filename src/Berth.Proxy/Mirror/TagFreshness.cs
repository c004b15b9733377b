using System.Collections.Concurrent;

namespace Berth.Proxy.Mirror;

/// <summary>
/// When this node last heard from the upstream that a cached tag still points where the cache has it. Kept in memory
/// per node: after a restart, or on another node, the first pull of a tag asks the upstream once (a HEAD, which
/// Docker Hub does not count against its rate limit), which is cheap and never wrong.
/// </summary>
internal sealed class TagFreshness(TimeProvider time)
{
    /// <summary>Past this many entries, the ones too old to matter are dropped (each costs a few dozen bytes).</summary>
    private const int PruneAbove = 100_000;

    private readonly ConcurrentDictionary<(string Repository, string Tag), DateTimeOffset> _validated = new();

    public bool IsFresh(string repository, string tag, TimeSpan ttl) =>
        _validated.TryGetValue((repository, tag), out var at) && time.GetUtcNow() - at < ttl;

    public void Validated(string repository, string tag, TimeSpan ttl)
    {
        var now = time.GetUtcNow();
        _validated[(repository, tag)] = now;
        if (_validated.Count > PruneAbove)
        {
            foreach (var (key, at) in _validated)
            {
                if (now - at >= ttl)
                {
                    _validated.TryRemove(key, out _);
                }
            }
        }
    }
}
