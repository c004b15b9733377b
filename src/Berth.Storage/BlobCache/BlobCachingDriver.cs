using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.BlobCache;

/// <summary>
/// An object-store driver whose blob contents are served from this node's <see cref="NodeBlobCache"/> when it holds
/// them. The store asks <see cref="LocalPath"/> and <see cref="ReadUrlAsync"/> only after it has checked the blob
/// against shared storage (its link, its stat), so a copy is served exactly when the store itself would serve the
/// blob. Asked for a blob's URL or its bytes with no copy here, the driver answers from the store as before and
/// starts a copy in the background. The bytes of a push through this node are copied as they go to the store, and
/// become the blob's copy when it is committed. Everything else passes through.
/// </summary>
public sealed class BlobCachingDriver(IStorageDriver inner, NodeBlobCache cache) : IStorageDriver
{
    public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public async Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken)
    {
        if (RegistryPaths.TryParseBlobData(path, out var digest))
        {
            if (cache.Find(digest) is { } file)
            {
                var local = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                    bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                local.Position = offset;
                return local;
            }

            cache.FillInBackground(digest, inner);
        }

        return await inner.OpenReadAsync(path, offset, cancellationToken);
    }

    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadAllAsync(path, cancellationToken);

    public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        inner.WriteAllAsync(path, content, cancellationToken);

    /// <summary>
    /// A blob written whole (a monolithic upload) or an upload session's data: its bytes are copied to this node as
    /// they go to the store, and a blob's copy is adopted once the store committed it.
    /// </summary>
    public async Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken)
    {
        var writer = await inner.OpenWriteAsync(path, append, cancellationToken);
        var blob = RegistryPaths.TryParseBlobData(path, out var digest);
        if ((!blob && !IsUploadData(path)) || cache.PushCopyFile(path) is not { } file)
        {
            return writer;
        }

        return PushCopyingWriter.Wrap(writer, file, append, blob ? copy => cache.AdoptInBackground(digest, copy) : null);
    }

    public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
        inner.ListAsync(directory, cancellationToken);

    /// <summary>An upload completed into its blob: the copy this node made of the session's bytes becomes the blob's.</summary>
    public async Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        await inner.MoveAsync(source, destination, cancellationToken);
        if (IsUploadData(source) && RegistryPaths.TryParseBlobData(destination, out var digest)
            && cache.PushCopyFile(source) is { } file)
        {
            cache.AdoptInBackground(digest, file);
        }
    }

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(path, cancellationToken);
        // An upload cancelled or purged: its copy in the making goes too.
        var uploadData = IsUploadData(path) ? path : path.Append("data");
        if (IsUploadData(uploadData))
        {
            cache.DropPushCopy(uploadData);
        }

        // A collection deletes a blob's folder (blobs/<alg>/<xx>/<hex>), not only its data file.
        if (RegistryPaths.TryParseBlobData(path, out var digest) || RegistryPaths.TryParseBlobData(path.Append("data"), out digest))
        {
            cache.Remove(digest);
        }
    }

    /// <summary>The data of an upload session: <c>.../&lt;repository&gt;/_uploads/&lt;id&gt;/data</c>.</summary>
    private static bool IsUploadData(StoragePath path) =>
        path.Name == "data" && path.Parent.Parent.Name == RegistryPaths.UploadsFolder;

    /// <summary>The local copy, which the blob handler sends straight from disk.</summary>
    public string? LocalPath(StoragePath path) =>
        RegistryPaths.TryParseBlobData(path, out var digest) ? cache.Find(digest) : inner.LocalPath(path);

    /// <summary>No redirect for a blob held here (it is sent from disk); otherwise the store's URL, and a copy on its way.</summary>
    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (RegistryPaths.TryParseBlobData(path, out var digest))
        {
            if (cache.Find(digest) is not null)
            {
                return ValueTask.FromResult<Uri?>(null);
            }

            cache.FillInBackground(digest, inner);
        }

        return inner.ReadUrlAsync(path, cancellationToken);
    }
}
