using System.Buffers;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Berth.Storage.Drivers;

namespace Berth.Storage.Azure;

/// <summary>
/// Writes a block blob. Bytes collect in one pooled buffer that grows up to <see cref="BlockSize"/>; each full buffer
/// is staged as an uncommitted block (invisible to readers), and <see cref="CommitAsync"/> publishes the blob with one
/// Put Block List: the blocks it already had (when appending), then the new ones. Until then the blob keeps its old
/// content and length, so disposing without a commit needs no undo, and memory stays at one block per writer.
/// A new file that fits in one buffer is published with one Put Blob instead.
/// </summary>
/// <remarks>
/// Append blobs would append in place, but an appended block cannot be taken back, so an abandoned PATCH could not
/// leave the upload at its old length as <see cref="IStorageWriter"/> requires. Block ids are unique per writer, so
/// writers of one path never use each other's blocks; a commit discards the other writers' staged blocks, so of two
/// writers of one path that both outgrow one buffer the later commit fails (the registry never does this: uploads
/// are per session, and content is published by <see cref="IStorageDriver.MoveAsync"/>). The service allows 50,000
/// committed blocks: 390 GiB in full blocks, fewer when many small appends each commit a short block.
/// </remarks>
internal sealed class AzureBlobWriter : IStorageWriter
{
    /// <summary>The largest block staged: 8 MiB, the memory one writer holds at most.</summary>
    public const int BlockSize = 8 << 20;

    private const int FirstBufferSize = 256 << 10;

    private readonly BlockBlobClient _blob;
    private readonly string _name;
    private readonly List<string> _blockIds;
    private readonly string _writerId = Guid.NewGuid().ToString("N");
    private readonly bool _append;
    private readonly ETag? _etag;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FirstBufferSize);
    private int _filled;
    private bool _staged;
    private bool _done;

    private AzureBlobWriter(BlockBlobClient blob, string name, bool append, IEnumerable<string> committed, long length, ETag? etag)
    {
        _blob = blob;
        _name = name;
        _append = append;
        _blockIds = [.. committed];
        _etag = etag;
        Size = length;
    }

    public long Size { get; private set; }

    public static AzureBlobWriter Replacing(BlockBlobClient blob, string name) => new(blob, name, append: false, [], 0, etag: null);

    /// <summary>
    /// A writer that keeps the blob's committed blocks. A blob written whole by Put Blob has content but no block
    /// list: its bytes are read back and staged as blocks first (only a whole-file write followed by an append pays
    /// this; upload data starts empty).
    /// </summary>
    public static async Task<AzureBlobWriter> AppendingAsync(BlockBlobClient blob, string name, CancellationToken cancellationToken)
    {
        Response<BlockList> list;
        try
        {
            list = await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (AzureErrors.IsNotFound(e))
        {
            return new AzureBlobWriter(blob, name, append: true, [], 0, etag: null);
        }

        var etag = list.GetRawResponse().Headers.ETag;
        var blocks = list.Value.CommittedBlocks.Select(block => block.Name).ToList();
        var length = list.Value.BlobContentLength;
        if (blocks.Count > 0 || length == 0)
        {
            return new AzureBlobWriter(blob, name, append: true, blocks, length, etag);
        }

        var writer = new AzureBlobWriter(blob, name, append: true, [], 0, etag);
        try
        {
            var conditions = new BlobRequestConditions { IfMatch = etag };
            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Conditions = conditions }, cancellationToken);
            await using var existing = download.Value.Content;
            var chunk = new byte[FirstBufferSize];
            int read;
            while ((read = await existing.ReadAsync(chunk, cancellationToken)) > 0)
            {
                await writer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
            }

            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        while (!buffer.IsEmpty)
        {
            if (_filled == _buffer.Length && !Grow())
            {
                await StageAsync(cancellationToken);
            }

            var take = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer.Span[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            Size += take;
            buffer = buffer[take..];
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken) =>
        AzureErrors.Guard("commit", _name, async () =>
        {
            ObjectDisposedException.ThrowIf(_done, this);
            if (!_append && !_staged)
            {
                // Everything fits in one request: one Put Blob replaces the blob atomically.
                using var content = new MemoryStream(_buffer, 0, _filled, writable: false);
                await _blob.UploadAsync(content, new BlobUploadOptions
                {
                    TransferOptions = new() { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize },
                }, cancellationToken);
            }
            else if (!_append || _filled > 0 || _staged || _etag is null)
            {
                if (_filled > 0)
                {
                    await StageAsync(cancellationToken);
                }

                // Appending: only if the blob is still the one whose blocks we listed (another writer's commit in
                // between would otherwise be lost); creating: only if it is still missing.
                var conditions = !_append ? null
                    : _etag is { } etag ? new BlobRequestConditions { IfMatch = etag }
                    : new BlobRequestConditions { IfNoneMatch = ETag.All };
                await _blob.CommitBlockListAsync(_blockIds, new CommitBlockListOptions { Conditions = conditions }, cancellationToken);
            }

            _done = true;
        }, cancellationToken);

    /// <summary>Nothing to undo: staged blocks are invisible and the service drops them (at the next commit, or after a week).</summary>
    public ValueTask DisposeAsync()
    {
        _done = true;
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Doubles the buffer up to one block, so that small appends (a chunk, a link) do not hold a whole block.</summary>
    private bool Grow()
    {
        if (_buffer.Length >= BlockSize)
        {
            return false;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, BlockSize));
        _buffer.AsSpan(0, _filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
        return true;
    }

    private Task StageAsync(CancellationToken cancellationToken) =>
        AzureErrors.Guard("stage a block of", _name, async () =>
        {
            // Fixed-length ids (the service wants one length per blob): this writer's id and a sequence number.
            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_writerId}{_blockIds.Count:D8}"));
            using var content = new MemoryStream(_buffer, 0, _filled, writable: false);
            await _blob.StageBlockAsync(id, content, cancellationToken: cancellationToken);
            _blockIds.Add(id);
            _filled = 0;
            _staged = true;
        }, cancellationToken);
}
