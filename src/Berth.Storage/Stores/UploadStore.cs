using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// Upload sessions in registry:2's layout (<c>_uploads/&lt;uuid&gt;/data</c> and <c>startedat</c>). The size of
/// the data file is the upload's offset, so the state needs nothing but storage. Bytes are hashed as they arrive;
/// the blob is published by one atomic move after its digest is verified, or, when the whole blob comes in the
/// completing request, by the commit of a writer at its own path.
/// </summary>
internal sealed class UploadStore(StoreContext context, RepositoryName name, BlobStore blobs) : IUploadStore
{
    private const int BufferSize = 256 * 1024;
    private IStorageDriver Driver => context.Driver;

    public async Task<UploadStatus> StartAsync(CancellationToken cancellationToken)
    {
        // Cancellable only before the first write: a request cut between the two would leave a startedat without
        // data, a session no client can see (GetAsync needs the data file) and none can cancel.
        cancellationToken.ThrowIfCancellationRequested();
        var id = UploadId.New();
        var now = context.Time.GetUtcNow();
        await Driver.WriteAllAsync(RegistryPaths.UploadStartedAt(name, id), Encoding.ASCII.GetBytes(FormatStartedAt(now)), CancellationToken.None);
        await Driver.WriteAllAsync(RegistryPaths.UploadData(name, id), ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        return new UploadStatus(id, 0, now);
    }

    public async Task<UploadStatus?> GetAsync(UploadId id, CancellationToken cancellationToken)
    {
        var data = await Driver.StatAsync(RegistryPaths.UploadData(name, id), cancellationToken);
        if (data is null or { IsDirectory: true })
        {
            return null;
        }

        var startedAt = await Driver.ReadAllAsync(RegistryPaths.UploadStartedAt(name, id), cancellationToken);
        return new UploadStatus(id, data.Size, ParseStartedAt(startedAt) ?? data.ModifiedAt);
    }

    public async Task<UploadStatus> AppendAsync(UploadId id, Stream body, ChunkRange? range, CancellationToken cancellationToken)
    {
        await using var held = await context.UploadLocks.AcquireAsync(Key(id), cancellationToken);
        var status = await GetAsync(id, cancellationToken) ?? throw UploadUnknown(id);
        return await AppendHeldAsync(status, body, range, cancellationToken);
    }

    public async Task<BlobInfo> CompleteAsync(UploadId id, Digest digest, Stream? lastChunk, ChunkRange? range,
        CancellationToken cancellationToken)
    {
        await using var held = await context.UploadLocks.AcquireAsync(Key(id), cancellationToken);
        var status = await GetAsync(id, cancellationToken) ?? throw UploadUnknown(id);
        // Before looking whether the blob is stored: content the online collector is deleting is written anew once
        // it is gone, and content found stays (ICollectionBarrier). Held until the link is written.
        await using var ticket = await context.Barrier.BeginWriteAsync(cancellationToken);
        if (!await ticket.TryProtectAsync(digest, cancellationToken))
        {
            await ticket.WaitUntilReleasedAsync(digest, cancellationToken);
        }

        BlobInfo? blob;
        if (lastChunk is not null && status.Size == 0)
        {
            blob = await WriteWholeBlobAsync(status, digest, lastChunk, range, cancellationToken);
        }
        else
        {
            if (lastChunk is not null)
            {
                status = await AppendHeldAsync(status, lastChunk, range, cancellationToken);
            }

            await CheckDigestAsync(id, digest, await DigestOfAsync(status, digest.Algorithm, cancellationToken));
            blob = await blobs.StatContentAsync(digest, cancellationToken);
            if (blob is null)
            {
                await Driver.MoveAsync(RegistryPaths.UploadData(name, id), RegistryPaths.BlobData(digest), cancellationToken);
                blob = new BlobInfo(digest, status.Size, Driver.LocalPath(RegistryPaths.BlobData(digest)));
            }
        }

        await blobs.LinkAsync(digest, cancellationToken);
        await EndAsync(id);
        return blob;
    }

    public async Task<bool> CancelAsync(UploadId id, CancellationToken cancellationToken)
    {
        await using var held = await context.UploadLocks.AcquireAsync(Key(id), cancellationToken);
        if (await GetAsync(id, cancellationToken) is null)
        {
            return false;
        }

        await EndAsync(id);
        return true;
    }

    /// <summary>
    /// The whole blob in the completing request (a monolithic upload): its digest is known before the first byte, so
    /// the bytes go straight to the blob's own path, published by the writer's commit only once the digest matches.
    /// On an object store this saves the copy a move is there (and the upload object); a blob already stored is only
    /// hashed, not written again.
    /// </summary>
    private async Task<BlobInfo> WriteWholeBlobAsync(UploadStatus status, Digest digest, Stream body, ChunkRange? range,
        CancellationToken cancellationToken)
    {
        CheckChunkStart(status, range);
        var stored = await blobs.StatContentAsync(digest, cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmOf(digest.Algorithm));
        await using var writer = stored is null
            ? await Driver.OpenWriteAsync(RegistryPaths.BlobData(digest), append: false, cancellationToken)
            : null;
        var written = await CopyAsync(body, writer, hash, range?.Length, cancellationToken);
        CheckChunkLength(range, written);
        await CheckDigestAsync(status.Id, digest, Digest.FromHash(digest.Algorithm, hash.GetHashAndReset()));
        if (writer is null)
        {
            return stored!;
        }

        await writer.CommitAsync(cancellationToken);
        return new BlobInfo(digest, written, Driver.LocalPath(RegistryPaths.BlobData(digest)));
    }

    /// <summary>As registry:2 does: a session whose content does not match its digest is over; the client starts again.</summary>
    private async Task CheckDigestAsync(UploadId id, Digest expected, Digest actual)
    {
        if (actual != expected)
        {
            await EndAsync(id);
            throw new RegistryException(RegistryErrorCode.DigestInvalid, "provided digest did not match uploaded content",
                $"expected {expected}, content is {actual}");
        }
    }

    private static void CheckChunkStart(UploadStatus status, ChunkRange? range)
    {
        if (range is { } declared && declared.Start != status.Size)
        {
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "chunk is out of order",
                $"the upload holds {status.Size} bytes; the chunk starts at {declared.Start}", status: 416);
        }
    }

    private static void CheckChunkLength(ChunkRange? range, long written)
    {
        if (range is { } expected && written != expected.Length)
        {
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "chunk size does not match Content-Range",
                $"Content-Range declares {expected.Length} bytes; the body held {written}", status: 416);
        }
    }

    private async Task<UploadStatus> AppendHeldAsync(UploadStatus status, Stream body, ChunkRange? range, CancellationToken cancellationToken)
    {
        CheckChunkStart(status, range);
        var key = Key(status.Id);
        var hash = context.UploadHashes.Take(key, status.Size);
        try
        {
            await using var writer = await Driver.OpenWriteAsync(RegistryPaths.UploadData(name, status.Id), append: true, cancellationToken);
            var written = await CopyAsync(body, writer, hash, range?.Length, cancellationToken);
            CheckChunkLength(range, written);
            await writer.CommitAsync(cancellationToken);
            if (hash is not null)
            {
                context.UploadHashes.Put(key, writer.Size, hash);
                hash = null;
            }

            return status with { Size = writer.Size };
        }
        finally
        {
            hash?.Dispose();
        }
    }

    /// <summary>
    /// Copies the body into storage (or only hashes it, without a writer), refusing more than <paramref name="limit"/>
    /// bytes.
    /// </summary>
    private static async Task<long> CopyAsync(Stream body, IStorageWriter? writer, IncrementalHash? hash, long? limit,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw new RegistryException(RegistryErrorCode.RangeInvalid, "chunk is larger than its Content-Range",
                        $"Content-Range declares {limit} bytes", status: 416);
                }

                hash?.AppendData(buffer, 0, read);
                if (writer is not null)
                {
                    await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The digest of everything uploaded: from the running hash when this process saw every byte, else re-read.</summary>
    private async Task<Digest> DigestOfAsync(UploadStatus status, string algorithm, CancellationToken cancellationToken)
    {
        var key = Key(status.Id);
        if (algorithm == Digest.Sha256 && context.UploadHashes.Take(key, status.Size) is { } running)
        {
            using (running)
            {
                return Digest.FromHash(algorithm, running.GetHashAndReset());
            }
        }

        context.UploadHashes.Forget(key);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmOf(algorithm));
        await using var data = await Driver.OpenReadAsync(RegistryPaths.UploadData(name, status.Id), 0, cancellationToken)
            ?? throw UploadUnknown(status.Id);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await data.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Digest.FromHash(algorithm, hash.GetHashAndReset());
    }

    private static HashAlgorithmName HashAlgorithmOf(string algorithm) =>
        algorithm == Digest.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    /// <summary>Removes the session. Not cancellable: a half-removed session would outlive its client.</summary>
    private async Task EndAsync(UploadId id)
    {
        context.UploadHashes.Forget(Key(id));
        await Driver.DeleteAsync(RegistryPaths.Upload(name, id), CancellationToken.None);
    }

    private string Key(UploadId id) => Key(name, id);

    /// <summary>The session's key for its lock and its running hash.</summary>
    internal static string Key(RepositoryName name, UploadId id) => name.Value + "@" + id.Value;

    /// <summary>A <c>startedat</c> file's time (RFC 3339, as Berth and registry:2 write it); null when absent or unreadable.</summary>
    internal static DateTimeOffset? ParseStartedAt(byte[]? content) =>
        content is not null && DateTimeOffset.TryParse(Encoding.ASCII.GetString(content), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    /// <summary>RFC 3339 in UTC, as registry:2 writes and parses it for upload purging.</summary>
    private static string FormatStartedAt(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static RegistryException UploadUnknown(UploadId id) =>
        new(RegistryErrorCode.BlobUploadUnknown, "blob upload unknown to registry", id.Value);
}
