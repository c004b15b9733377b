using System.Runtime.CompilerServices;
using Berth.Storage.Drivers;

namespace Berth.Storage.Tests.Helpers;

/// <summary>
/// A driver whose folders carry no modification time (<see cref="DateTimeOffset.MinValue"/>), as the object-store
/// drivers report them: a bucket has no folders, only names with slashes.
/// </summary>
public sealed class FolderlessDriver(IStorageDriver inner) : IStorageDriver
{
    public async Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) =>
        Folderless(await inner.StatAsync(path, cancellationToken));

    public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadAllAsync(path, cancellationToken);

    public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        inner.WriteAllAsync(path, content, cancellationToken);

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
        inner.OpenWriteAsync(path, append, cancellationToken);

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in inner.ListAsync(directory, cancellationToken))
        {
            yield return Folderless(entry)!;
        }
    }

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        inner.MoveAsync(source, destination, cancellationToken);

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public string? LocalPath(StoragePath path) => inner.LocalPath(path);

    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadUrlAsync(path, cancellationToken);

    private static StorageEntry? Folderless(StorageEntry? entry) => entry is { IsDirectory: true } ? entry with { ModifiedAt = DateTimeOffset.MinValue } : entry;
}
