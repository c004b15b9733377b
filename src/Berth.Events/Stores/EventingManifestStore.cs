using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Events.Stores;

/// <summary>Manifest pushes, pulls and deletes, and tag deletes, as events.</summary>
internal sealed class EventingManifestStore(IManifestStore inner, RepositoryName repository, EventRecorder recorder) : IManifestStore
{
    /// <summary>A found manifest is a pull, for GET and HEAD alike (and a 304), as registry reports it.</summary>
    public async Task<StoredManifest?> GetAsync(Reference reference, CancellationToken cancellationToken)
    {
        var manifest = await inner.GetAsync(reference, cancellationToken);
        if (manifest is not null)
        {
            await recorder.ManifestAsync(EventActions.Pull, repository, manifest, reference.Tag);
        }

        return manifest;
    }

    /// <summary>
    /// One push event for the manifest, carrying its tag. Each further tag given with <c>?tag=</c> (an OCI 1.1 way
    /// registry does not offer) gets its own push event, so a receiver that follows tags sees every one.
    /// </summary>
    public async Task<StoredManifest> PutAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType,
        IReadOnlyList<Tag> extraTags, CancellationToken cancellationToken)
    {
        var stored = await inner.PutAsync(reference, bytes, contentType, extraTags, cancellationToken);
        await recorder.ManifestAsync(EventActions.Push, repository, stored, reference.Tag ?? (extraTags.Count > 0 ? extraTags[0] : null));
        foreach (var tag in extraTags.Skip(reference.Tag is null ? 1 : 0))
        {
            await recorder.ManifestAsync(EventActions.Push, repository, stored, tag);
        }

        return stored;
    }

    /// <summary>A tag reference deletes the tag (registry:3's tag delete event), a digest the manifest.</summary>
    public async Task<bool> DeleteAsync(Reference reference, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(reference, cancellationToken);
        if (deleted)
        {
            await (reference.Tag is { } tag ? recorder.TagDeletedAsync(repository, tag) : recorder.DeletedAsync(repository, reference.Digest!.Value));
        }

        return deleted;
    }
}
