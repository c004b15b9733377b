using Berth.Storage.Drivers;

namespace Berth.Events.Tests;

/// <summary>
/// The in-memory driver with hooks: the first <c>deleteFailures</c> deletes throw as a failing disk would, and a
/// write can be held back until the test lets it finish.
/// </summary>
internal sealed class HookedDriver(int deleteFailures = 0) : IStorageDriver
{
    private readonly InMemoryDriver _inner = new();
    private int _failuresLeft = deleteFailures;

    /// <summary>Awaited before each whole-file write, with the write's number (from 1) and its path; may throw as a full disk would.</summary>
    public Func<int, StoragePath, Task>? BeforeWrite { get; set; }

    private int _writes;

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _failuresLeft) >= 0 ? throw new IOException("disk said no") : _inner.DeleteAsync(path, cancellationToken);

    public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) => _inner.StatAsync(path, cancellationToken);

    public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) =>
        _inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) => _inner.ReadAllAsync(path, cancellationToken);

    public async Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (BeforeWrite is { } hook)
        {
            await hook(Interlocked.Increment(ref _writes), path);
        }

        await _inner.WriteAllAsync(path, content, cancellationToken);
    }

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
        _inner.OpenWriteAsync(path, append, cancellationToken);

    public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
        _inner.ListAsync(directory, cancellationToken);

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        _inner.MoveAsync(source, destination, cancellationToken);

    public string? LocalPath(StoragePath path) => _inner.LocalPath(path);

    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => _inner.ReadUrlAsync(path, cancellationToken);
}
