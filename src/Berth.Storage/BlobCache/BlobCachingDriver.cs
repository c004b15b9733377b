using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.BlobCache;

/// <summary>
/// An object-store driver whose blob contents are served from this node's <see cref="NodeBlobCache"/> when it holds
/// them. The store asks <see cref="LocalPath"/> and <see cref="ReadUrlAsync"/> only after it has checked the blob
/// against shared storage (its link, its stat), so a copy is served exactly when the store itself would serve the
/// blob. Asked for a blob's URL or its bytes with no copy here, the driver answers from the store as before and
/// starts a copy in the background. Everything else passes through.
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

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
        inner.OpenWriteAsync(path, append, cancellationToken);

    public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
        inner.ListAsync(directory, cancellationToken);

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        inner.MoveAsync(source, destination, cancellationToken);

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(path, cancellationToken);
        // A collection deletes a blob's folder (blobs/<alg>/<xx>/<hex>), not only its data file.
        if (RegistryPaths.TryParseBlobData(path, out var digest) || RegistryPaths.TryParseBlobData(path.Append("data"), out digest))
        {
            cache.Remove(digest);
        }
    }

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
