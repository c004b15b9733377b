namespace Berth.Storage.Drivers;

/// <summary>
/// Bytes at paths. A driver knows nothing of the registry layout. Absence is null (or an empty listing), not an
/// exception. Every whole-file write and every move is atomic: readers see the old content or the new, never
/// a part.
/// </summary>
public interface IStorageDriver
{
    Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken);

    /// <returns>A stream positioned at <paramref name="offset"/>, or null if the file does not exist.</returns>
    Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken);

    /// <summary>Reads a small file (a link, a manifest) whole.</summary>
    /// <returns>The content, or null if the file does not exist.</returns>
    Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken);

    /// <summary>Replaces the file with <paramref name="content"/> atomically, creating folders as needed.</summary>
    Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a writer for a new file (published on commit) or, with <paramref name="append"/>, for bytes added to
    /// the end of an existing one (created if missing).
    /// </summary>
    Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken);

    /// <summary>The immediate children of a folder; nothing if it does not exist.</summary>
    IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a file into place atomically, replacing any file there, after making its content durable: this is
    /// how finished content is published.
    /// </summary>
    Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken);

    /// <summary>Deletes a file or a whole folder; nothing happens if it does not exist.</summary>
    Task DeleteAsync(StoragePath path, CancellationToken cancellationToken);

    /// <summary>Where the file lies on local disk, for zero-copy sends; null for drivers with no local files.</summary>
    string? LocalPath(StoragePath path);

    /// <summary>
    /// A short-lived URL a client may GET the file from directly (a presigned object-store URL), so that blob
    /// downloads bypass Berth as registry:2's redirects do; null for drivers without one.
    /// </summary>
    ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken);
}
