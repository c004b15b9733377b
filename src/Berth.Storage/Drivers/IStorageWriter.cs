namespace Berth.Storage.Drivers;

/// <summary>
/// Bytes on their way into storage. A new file is published whole on <see cref="CommitAsync"/> and never appears
/// otherwise. Appended bytes (upload data, which nobody reads as content) may be seen growing; disposing an
/// uncommitted append cuts the file back to its old length, except after a crash of the process, when the upload
/// simply holds more bytes and reports them as its offset.
/// </summary>
public interface IStorageWriter : IAsyncDisposable
{
    /// <summary>The size the target will have once committed.</summary>
    long Size { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
