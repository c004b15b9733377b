using Berth.Core;
using Berth.Core.Manifests;
using Berth.Core.Stores;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Mirror;

/// <summary>
/// Referrers (signatures, SBOMs, attestations) of a mirrored image: asked of the upstream (its referrers API, or the
/// <c>sha256-&lt;hex&gt;</c> fallback tag) at most once per <c>ttl</c>, each new one fetched and kept like any cached
/// manifest, then listed from the cache. When the upstream cannot answer, what is cached is listed.
/// </summary>
internal sealed class MirrorReferrerStore(IRepository local, IManifestStore manifests, UpstreamMirror mirror, string upstreamName, MirrorState state)
    : IReferrerStore
{
    public async Task<IReadOnlyList<Descriptor>> ListAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var key = "referrers of " + subject;
        if (!state.Tags.IsFresh(local.Name.Value, key, mirror.TagTtl))
        {
            var answer = await state.ManifestFetches.RunAsync((local.Name.Value, key), () => FetchAsync(subject, key), cancellationToken);
            if (answer.StaleBecause is { } reason)
            {
                MirrorNotice.ServedStale(reason);
            }
        }

        return await local.Referrers.ListAsync(subject, artifactType, cancellationToken);
    }

    private async Task<ManifestAnswer> FetchAsync(Digest subject, string key)
    {
        try
        {
            foreach (var referrer in await mirror.GetReferrersAsync(upstreamName, subject, state.Stopping))
            {
                // Through the mirror's manifests: fetched once, checked against its digest, kept with its subject link.
                await manifests.GetAsync(Reference.Of(referrer), state.Stopping);
            }
        }
        catch (UpstreamException e)
        {
            return new(null, UpstreamErrors.StaleReason(e, mirror));
        }
        catch (Core.Errors.RegistryException e)
        {
            // A referrer the upstream named but could not send: list what is cached, and say why.
            return new(null, $"{mirror.Remote.Name}: {e.Message}");
        }

        state.Tags.Validated(local.Name.Value, key, mirror.TagTtl);
        return new(null, null);
    }
}
