using Berth.Core;
using Berth.Core.Stores;
using Berth.Proxy.Cache;
using Berth.Proxy.Routing;

namespace Berth.Proxy.Mirror;

/// <summary>
/// The registry with a pull-through cache in front of the repositories an upstream claims (<see cref="UpstreamRouter"/>):
/// those are served from the local store and filled from their upstream on a miss; every other repository is the local
/// store's, untouched (mixed mode: one instance is the team's registry and its mirror). Cached content is ordinary
/// content of the local store: the catalog lists it, garbage collection and retention treat it as any other.
/// </summary>
public sealed class MirrorStore : IRegistryStore, IDisposable
{
    private readonly IRegistryStore _local;
    private readonly UpstreamRouter _router;
    private readonly Dictionary<UpstreamRemote, UpstreamMirror> _mirrors;
    private readonly MirrorState _state;

    /// <param name="local">The registry's own store, where cached content is kept.</param>
    /// <param name="mirrors">One per remote of <paramref name="router"/>.</param>
    /// <param name="spoolFolder">A local folder for blobs on their way in (readers follow them there).</param>
    /// <param name="stopping">Stops the fills in progress when the registry stops.</param>
    public MirrorStore(IRegistryStore local, UpstreamRouter router, IEnumerable<UpstreamMirror> mirrors, string spoolFolder,
        TimeProvider time, CancellationToken stopping)
    {
        _local = local;
        _router = router;
        _mirrors = mirrors.ToDictionary(mirror => mirror.Remote);
        _state = new MirrorState(new BlobFills(spoolFolder), new TagFreshness(time), stopping);
    }

    public ICatalog Catalog => _local.Catalog;

    public IRepository Repository(RepositoryName name)
    {
        var local = _local.Repository(name);
        return _router.Route(name) is { } route
            ? new MirrorRepository(local, _mirrors[route.Remote], route.UpstreamRepository, _state)
            : local;
    }

    public void Dispose()
    {
        foreach (var mirror in _mirrors.Values)
        {
            mirror.Dispose();
        }
    }

    /// <summary>Removes cached repositories too: the next pull fills them again.</summary>
    public Task<RepositoryDeletion?> DeleteRepositoryAsync(RepositoryName name, CancellationToken cancellationToken) =>
        _local.DeleteRepositoryAsync(name, cancellationToken);
}

/// <summary>What every cached repository of one registry shares: the fills in progress and the tags' freshness.</summary>
internal sealed record MirrorState(BlobFills Fills, TagFreshness Tags, CancellationToken Stopping)
{
    public SingleFlight<(string, string), ManifestAnswer> ManifestFetches { get; } = new();
}
