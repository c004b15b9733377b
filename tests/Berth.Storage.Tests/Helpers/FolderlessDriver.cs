using System.Runtime.CompilerServices;
using Berth.Storage.Drivers;

namespace Berth.Storage.Tests.Helpers;

/// <summary>
/// A driver whose folders carry no modification time (<see cref="DateTimeOffset.MinValue"/>), as the object-store
/// drivers report them: a bucket has no folders, only names with slashes.
/// </summary>
public sealed class FolderlessDriver(IStorageDriver inner) : DelegatingDriver(inner)
{
    public override async Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) =>
        Folderless(await Inner.StatAsync(path, cancellationToken));

    public override IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
        FolderlessAsync(directory, cancellationToken);

    private async IAsyncEnumerable<StorageEntry> FolderlessAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in Inner.ListAsync(directory, cancellationToken))
        {
            yield return Folderless(entry)!;
        }
    }

    private static StorageEntry? Folderless(StorageEntry? entry) => entry is { IsDirectory: true } ? entry with { ModifiedAt = DateTimeOffset.MinValue } : entry;
}
