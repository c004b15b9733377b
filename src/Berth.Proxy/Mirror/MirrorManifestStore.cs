using Berth.Core;
using Berth.Core.Stores;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Mirror;

/// <summary>
/// Manifests of a mirrored repository. By digest: the cached copy, else the upstream's (fetched once, checked against the
/// digest, kept). By tag: the cached copy while the upstream confirmed it within the remote's <c>ttl</c>; after that one
/// HEAD asks the upstream where the tag points, and only a tag that moved is fetched again. When the upstream cannot
/// answer (down, too slow, 429, refusing), a cached copy is served anyway and the request says it is stale
/// (<see cref="MirrorNotice"/>); with nothing cached the client gets 503 or 429 with <c>Retry-After</c>.
/// Concurrent requests for one tag or digest make one upstream request.
/// </summary>
internal sealed class MirrorManifestStore(IRepository local, UpstreamMirror mirror, string upstreamName, MirrorState state) : IManifestStore
{
    private IMirroredManifests Cache => local.Manifests as IMirroredManifests
        ?? throw new InvalidOperationException("the local store cannot keep mirrored manifests");

    public async Task<StoredManifest?> GetAsync(Reference reference, CancellationToken cancellationToken)
    {
        var cached = await local.Manifests.GetAsync(reference, cancellationToken);
        ManifestAnswer answer;
        if (reference.Tag is { } tag)
        {
            if (cached is not null && state.Tags.IsFresh(local.Name.Value, tag.Value, mirror.TagTtl))
            {
                return cached;
            }

            answer = await state.ManifestFetches.RunAsync((local.Name.Value, tag.Value), () => RevalidateAsync(tag, cached), cancellationToken);
        }
        else
        {
            // Content under a digest never changes: once cached, the upstream is never asked about it again.
            if (cached is not null)
            {
                return cached;
            }

            answer = await state.ManifestFetches.RunAsync((local.Name.Value, reference.ToString()), () => FetchAsync(reference.Digest!.Value), cancellationToken);
        }

        if (answer.StaleBecause is { } reason)
        {
            MirrorNotice.ServedStale(reason);
        }

        return answer.Manifest;
    }

    public Task<StoredManifest> PutAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType, IReadOnlyList<Tag> extraTags,
        CancellationToken cancellationToken) =>
        throw MirrorRepository.PushRefused(local.Name, mirror);

    /// <summary>Evicts from the cache; the next pull fills it again.</summary>
    public Task<bool> DeleteAsync(Reference reference, CancellationToken cancellationToken) => local.Manifests.DeleteAsync(reference, cancellationToken);

    private async Task<ManifestAnswer> FetchAsync(Digest digest)
    {
        var fetched = await mirror.GetManifestAsync(upstreamName, digest.ToString(), state.Stopping).AskedOf(mirror, cached: null);
        return new(fetched.Value is { } manifest ? await KeepAsync(Reference.Of(digest), manifest) : null, null);
    }

    /// <summary>Asks the upstream where <paramref name="tag"/> points; keeps and returns its manifest there.</summary>
    private async Task<ManifestAnswer> RevalidateAsync(Tag tag, StoredManifest? cached)
    {
        var head = await mirror.HeadManifestAsync(upstreamName, tag.Value, state.Stopping).AskedOf(mirror, cached);
        if (head.StaleBecause is not null)
        {
            return new(cached, head.StaleBecause);
        }

        if (head.Value is not { } upstream)
        {
            // The upstream has no such tag (any more), so neither has its mirror. The cached copy stays until GC.
            return new(null, null);
        }

        if (cached is not null && cached.Digest == upstream.Digest)
        {
            state.Tags.Validated(local.Name.Value, tag.Value, mirror.TagTtl);
            return new(cached, null);
        }

        // By digest: the bytes are the ones the HEAD named, even if the tag moves again meanwhile.
        var fetched = await mirror.GetManifestAsync(upstreamName, upstream.Digest.ToString(), state.Stopping).AskedOf(mirror, cached);
        if (fetched.Value is not { } manifest)
        {
            return new(cached, fetched.StaleBecause);
        }

        var stored = await KeepAsync(Reference.Of(tag), manifest);
        state.Tags.Validated(local.Name.Value, tag.Value, mirror.TagTtl);
        return new(stored, null);
    }

    private Task<StoredManifest> KeepAsync(Reference reference, UpstreamManifest manifest) =>
        Cache.PutMirroredAsync(reference, manifest.Bytes, manifest.MediaType, state.Stopping);
}

/// <summary>A manifest the cache answers with, and why it is stale when it is.</summary>
internal sealed record ManifestAnswer(StoredManifest? Manifest, string? StaleBecause);

/// <summary>What an upstream answered, or why its answer was given up for a cached copy.</summary>
internal readonly record struct UpstreamAnswer<T>(T? Value, string? StaleBecause);

internal static class UpstreamAnswers
{
    /// <summary>
    /// Awaits an upstream call. A failure becomes a stale answer when something is cached to serve instead, and the
    /// client's error (503, 429 with Retry-After) when nothing is.
    /// </summary>
    public static async Task<UpstreamAnswer<T>> AskedOf<T>(this Task<T?> call, UpstreamMirror mirror, StoredManifest? cached)
        where T : class
    {
        try
        {
            return new(await call, null);
        }
        catch (UpstreamException e) when (cached is not null)
        {
            return new(null, UpstreamErrors.StaleReason(e, mirror));
        }
        catch (UpstreamException e)
        {
            throw UpstreamErrors.ToRegistryError(e, mirror);
        }
    }
}
