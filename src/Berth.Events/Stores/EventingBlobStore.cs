using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Events.Stores;

/// <summary>Blob pulls, mounts and deletes as events.</summary>
internal sealed class EventingBlobStore(IBlobStore inner, RepositoryName repository, EventRecorder recorder) : IBlobStore
{
    /// <summary>
    /// A found blob is a pull. Serving a blob (GET or HEAD, a range, a 304) starts with this stat, and its body may go
    /// out by sendfile without <see cref="OpenReadAsync"/>; registry likewise reports a pull for every blob it serves,
    /// HEAD included, with the request's method in the event. Only the blob endpoint stats through this contract:
    /// uploads and manifest checks use the undecorated store beneath.
    /// </summary>
    public async Task<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var blob = await inner.StatAsync(digest, cancellationToken);
        if (blob is not null)
        {
            await recorder.BlobAsync(EventActions.Pull, repository, blob);
        }

        return blob;
    }

    public Task<Stream> OpenReadAsync(BlobInfo blob, long offset, CancellationToken cancellationToken) =>
        inner.OpenReadAsync(blob, offset, cancellationToken);

    /// <summary>A redirected pull was already recorded by the stat that found the blob.</summary>
    public ValueTask<Uri?> RedirectAsync(BlobInfo blob, CancellationToken cancellationToken) => inner.RedirectAsync(blob, cancellationToken);

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(digest, cancellationToken);
        if (deleted)
        {
            await recorder.DeletedAsync(repository, digest);
        }

        return deleted;
    }

    public async Task<BlobInfo?> MountAsync(Digest digest, RepositoryName from, CancellationToken cancellationToken)
    {
        var blob = await inner.MountAsync(digest, from, cancellationToken);
        if (blob is not null)
        {
            await recorder.BlobAsync(EventActions.Mount, repository, blob, from);
        }

        return blob;
    }
}
