using Berth.Storage.Drivers;

namespace Berth.Events.Tests;

/// <summary>The in-memory driver, except that the first <c>failures</c> deletes throw as a failing disk would.</summary>
internal sealed class FlakyDeleteDriver(int failures) : IStorageDriver
{
    private readonly InMemoryDriver _inner = new();
    private int _failuresLeft = failures;

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _failuresLeft) >= 0 ? throw new IOException("disk said no") : _inner.DeleteAsync(path, cancellationToken);

    public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) => _inner.StatAsync(path, cancellationToken);

    public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) =>
        _inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) => _inner.ReadAllAsync(path, cancellationToken);

    public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        _inner.WriteAllAsync(path, content, cancellationToken);

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
        _inner.OpenWriteAsync(path, append, cancellationToken);

    public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
        _inner.ListAsync(directory, cancellationToken);

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        _inner.MoveAsync(source, destination, cancellationToken);

    public string? LocalPath(StoragePath path) => _inner.LocalPath(path);
}
