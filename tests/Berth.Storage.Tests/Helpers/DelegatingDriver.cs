using Berth.Storage.Drivers;

namespace Berth.Storage.Tests.Helpers;

/// <summary>A driver that passes every call to another; test drivers override the calls they change.</summary>
public abstract class DelegatingDriver(IStorageDriver inner) : IStorageDriver
{
    protected IStorageDriver Inner => inner;

    public virtual Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public virtual Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadAllAsync(path, cancellationToken);

    public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        inner.WriteAllAsync(path, content, cancellationToken);

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
        inner.OpenWriteAsync(path, append, cancellationToken);

    public virtual IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
        inner.ListAsync(directory, cancellationToken);

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        inner.MoveAsync(source, destination, cancellationToken);

    public virtual Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public string? LocalPath(StoragePath path) => inner.LocalPath(path);

    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadUrlAsync(path, cancellationToken);
}
