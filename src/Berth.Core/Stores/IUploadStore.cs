namespace Berth.Core.Stores;

/// <summary>
/// Blob upload sessions. State lives in storage (the data written so far), so any node that shares the storage
/// can continue an upload. Bytes become a visible blob only in <see cref="CompleteAsync"/>, after the digest
/// is verified.
/// </summary>
public interface IUploadStore
{
    Task<UploadStatus> StartAsync(CancellationToken cancellationToken);

    /// <returns>The session, or null if there is none with that id in this repository.</returns>
    Task<UploadStatus?> GetAsync(UploadId id, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="body"/>. With a <paramref name="range"/> the chunk must start where the upload
    /// ends and hold exactly the declared bytes (RANGE_INVALID otherwise). A body that is cut short is rolled back.
    /// </summary>
    Task<UploadStatus> AppendAsync(UploadId id, Stream body, ChunkRange? range, CancellationToken cancellationToken);

    /// <summary>
    /// Appends an optional last chunk, verifies the whole content against <paramref name="digest"/>, publishes the
    /// blob and links it into the repository. The session ends either way once the content was checked.
    /// </summary>
    Task<BlobInfo> CompleteAsync(UploadId id, Digest digest, Stream? lastChunk, ChunkRange? range, CancellationToken cancellationToken);

    /// <returns>False if there was no such session.</returns>
    Task<bool> CancelAsync(UploadId id, CancellationToken cancellationToken);
}
