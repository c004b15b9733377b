using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Berth.Storage.Drivers;

namespace Berth.Storage.Azure;

/// <summary>
/// Storage in an Azure Blob container, in distribution's azure layout (<see cref="AzureBlobNames"/>). Folders are
/// name prefixes, listed with the '/' delimiter; a folder exists while a blob has its prefix and has no time of its
/// own (<see cref="DateTimeOffset.MinValue"/>). Files are block blobs: a whole-file write is one Put Blob, a writer
/// stages blocks and publishes them with one Put Block List (<see cref="AzureBlobWriter"/>), and a move is a
/// server-side copy followed by a delete of the source. A store that fails or does not answer becomes
/// <see cref="Berth.Core.Errors.ServiceUnavailableException"/> (<see cref="AzureErrors"/>).
/// </summary>
internal sealed class AzureStorageDriver : IStorageDriver
{
    /// <summary>How long a redirect URL stays valid: registry:2's and registry:3's 20 minutes.</summary>
    public static readonly TimeSpan ReadUrlLifetime = TimeSpan.FromMinutes(20);

    /// <summary>Single Put Blob holds up to 5000 MiB; WriteAllAsync gets small files (links, manifests).</summary>
    private const long MaxPutBlobBytes = 5000L * 1024 * 1024;

    /// <summary>Parallel deletes when a folder goes: the service has no recursive delete for flat namespaces.</summary>
    private const int DeleteParallelism = 16;

    private readonly BlobContainerClient _container;
    private readonly AzureBlobNames _names;
    private volatile bool _containerReady;

    public AzureStorageDriver(BlobContainerClient container, AzureBlobNames names)
    {
        _container = container;
        _names = names;
    }

    public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) =>
        AzureErrors.Guard("stat", path.Value, async () =>
        {
            if (!path.IsRoot)
            {
                try
                {
                    BlobProperties properties = await Blob(path).GetPropertiesAsync(cancellationToken: cancellationToken);
                    return new StorageEntry(path, false, properties.ContentLength, properties.LastModified);
                }
                catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
                {
                    // Not a blob: perhaps a folder.
                }
            }

            return await HasAnyBlobAsync(_names.FolderPrefix(path), cancellationToken)
                ? new StorageEntry(path, true, 0, DateTimeOffset.MinValue)
                : null;
        }, cancellationToken);

    public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) =>
        AzureErrors.Guard("read", path.Value, async () =>
        {
            try
            {
                var options = new BlobDownloadOptions { Range = offset > 0 ? new HttpRange(offset) : default };
                BlobDownloadStreamingResult result = await Blob(path).DownloadStreamingAsync(options, cancellationToken);
                return result.Content;
            }
            catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
            {
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 416)
            {
                // At or past the end, which the filesystem driver answers with a stream that reads nothing.
                return (Stream?)new MemoryStream([], writable: false);
            }
        }, cancellationToken);

    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) =>
        AzureErrors.Guard("read", path.Value, async () =>
        {
            try
            {
                BlobDownloadResult result = await Blob(path).DownloadContentAsync(cancellationToken);
                return result.Content.ToArray();
            }
            catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
            {
                return null;
            }
        }, cancellationToken);

    public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        AzureErrors.Guard("write", path.Value, async () =>
        {
            await EnsureContainerAsync(cancellationToken);
            // One Put Blob replaces the blob atomically: readers see the old content or the new.
            await Blob(path).UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                TransferOptions = new() { InitialTransferSize = MaxPutBlobBytes, MaximumTransferSize = AzureBlobWriter.BlockSize },
            }, cancellationToken);
        }, cancellationToken);

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
        AzureErrors.Guard("open for writing", path.Value, async () =>
        {
            await EnsureContainerAsync(cancellationToken);
            var blob = _container.GetBlockBlobClient(_names.BlobName(path));
            return append
                ? await AzureBlobWriter.AppendingAsync(blob, path.Value, cancellationToken)
                : (IStorageWriter)AzureBlobWriter.Replacing(blob, path.Value);
        }, cancellationToken);

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", _names.FolderPrefix(directory), cancellationToken)
            .AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (await AzureErrors.Guard("list", directory.Value, () => NextPageAsync(pages), cancellationToken))
            {
                foreach (var item in pages.Current.Values)
                {
                    var entry = item.IsPrefix
                        ? _names.PathOf(item.Prefix) is { } folder ? new StorageEntry(folder, true, 0, DateTimeOffset.MinValue) : null
                        : _names.PathOf(item.Blob.Name) is { } file
                            ? new StorageEntry(file, false, item.Blob.Properties.ContentLength ?? 0, item.Blob.Properties.LastModified ?? DateTimeOffset.MinValue)
                            : null;
                    if (entry is not null && entry.Path.Parent == directory)
                    {
                        yield return entry;
                    }
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        AzureErrors.Guard("move", source.Value, async () =>
        {
            await EnsureContainerAsync(cancellationToken);
            var from = Blob(source);
            CopyFromUriOperation copy;
            try
            {
                // A copy inside one account is done by the service, without the bytes passing through Berth; the
                // request's own credential authorizes reading the source.
                copy = await Blob(destination).StartCopyFromUriAsync(from.Uri, cancellationToken: cancellationToken);
            }
            catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
            {
                throw new FileNotFoundException("no such file in storage", source.ToString(), e);
            }

            await copy.WaitForCompletionAsync(cancellationToken);
            await from.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) =>
        AzureErrors.Guard("delete", path.Value, async () =>
        {
            if (!path.IsRoot)
            {
                await Blob(path).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            }

            if (!await HasAnyBlobAsync(_names.FolderPrefix(path), cancellationToken))
            {
                return;
            }

            var below = _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, _names.FolderPrefix(path), cancellationToken);
            await Parallel.ForEachAsync(below, new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken },
                async (item, ct) => await _container.GetBlobClient(item.Name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct));
        }, cancellationToken);

    public string? LocalPath(StoragePath path) => null;

    /// <summary>
    /// A read-only SAS URL valid for <see cref="ReadUrlLifetime"/>, signed locally with the account key; null when the
    /// driver signs in with an identity (no key to sign with), and then Berth streams the blob itself.
    /// </summary>
    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var blob = Blob(path);
        return ValueTask.FromResult(blob.CanGenerateSasUri
            ? blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow + ReadUrlLifetime)
            : null);
    }

    private BlobClient Blob(StoragePath path) => _container.GetBlobClient(_names.BlobName(path));

    private async Task<bool> HasAnyBlobAsync(string prefix, CancellationToken cancellationToken)
    {
        var pages = _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages(pageSizeHint: 1)
            .GetAsyncEnumerator(cancellationToken);
        try
        {
            while (await NextPageAsync(pages))
            {
                if (pages.Current.Values.Count > 0)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    /// <summary>The next page of a listing; none when the container itself is missing (nothing was ever written).</summary>
    private static async Task<bool> NextPageAsync<T>(IAsyncEnumerator<T> pages)
    {
        try
        {
            return await pages.MoveNextAsync();
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Makes the container if it is missing, as registry:2's azure driver does at start; here on the first write, so
    /// that berth starts while the store is briefly unreachable (reads of a missing container are just empty).
    /// </summary>
    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady)
        {
            return;
        }

        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // An identity allowed to write blobs but not to make containers (registry:3 never makes one): the
            // container is expected to exist, and a write into a missing one fails on its own.
        }

        _containerReady = true;
    }
}
