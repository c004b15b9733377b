namespace Berth.Core.Stores;

/// <summary>
/// The blobs linked into one repository. Content is shared registry-wide, but a repository only sees what was
/// pushed or mounted into it.
/// </summary>
public interface IBlobStore
{
    /// <returns>The blob, or null if it is not linked into this repository.</returns>
    Task<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(BlobInfo blob, long offset, CancellationToken cancellationToken);

    /// <returns>
    /// Where the client may download the blob directly (an object store's presigned URL), or null when Berth serves
    /// it: the driver has no such URL or <c>storage.redirect.disable</c> is set.
    /// </returns>
    ValueTask<Uri?> RedirectAsync(BlobInfo blob, CancellationToken cancellationToken);

    /// <summary>Unlinks the blob from this repository; its content stays until garbage collection.</summary>
    /// <returns>False if it was not linked.</returns>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Links a blob of <paramref name="from"/> into this repository.</summary>
    /// <returns>The blob, or null if <paramref name="from"/> does not have it.</returns>
    Task<BlobInfo?> MountAsync(Digest digest, RepositoryName from, CancellationToken cancellationToken);
}
