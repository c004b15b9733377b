using Berth.Core.Stores;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Mirror;

/// <summary>
/// The tags of a mirrored repository are the upstream's, as registry:2's proxy lists them, so a client that lists
/// before it pulls sees what it can pull. When the upstream cannot answer, the tags cached so far are listed.
/// </summary>
internal sealed class MirrorTagStore(IRepository local, UpstreamMirror mirror, string upstreamName) : ITagStore
{
    /// <summary>More tags than any listing page; past it the upstream's list is cut.</summary>
    private const int Limit = 100_000;

    public async Task<IReadOnlyList<string>?> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await mirror.ListTagsAsync(upstreamName, Limit, cancellationToken) is not { } upstream)
            {
                return null;
            }

            var tags = upstream.ToList();
            tags.Sort(StringComparer.Ordinal);
            return tags;
        }
        catch (UpstreamException e)
        {
            MirrorNotice.ServedStale(UpstreamErrors.StaleReason(e, mirror));
            return await local.Tags.ListAsync(cancellationToken);
        }
    }
}
