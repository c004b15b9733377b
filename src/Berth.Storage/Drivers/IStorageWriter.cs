namespace Berth.Storage.Drivers;

/// <summary>
/// Bytes on their way into storage. Nothing is published until <see cref="CommitAsync"/>: disposing an
/// uncommitted writer leaves the target as it was (a new file never appears; an appended file is cut back).
/// </summary>
public interface IStorageWriter : IAsyncDisposable
{
    /// <summary>The size the target will have once committed.</summary>
    long Size { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
