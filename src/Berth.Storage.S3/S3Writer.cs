using Amazon.S3.Model;
using Berth.Storage.Drivers;

namespace Berth.Storage.S3;

/// <summary>
/// Bytes on their way into one object, holding at most two parts in memory: the one being filled and the one being
/// sent, so that reading the client's body and sending to the store overlap instead of taking turns (4 parallel
/// chunked uploads of 64 MiB to Ceph RGW, <c>bench/ab_uploads.py --s3 --mib 64</c>: 69 -> 77 MiB/s). Small content
/// is published with one PutObject on commit; larger content streams out as a multipart upload in <c>chunksize</c>
/// parts, published by CompleteMultipartUpload on commit and aborted on dispose without commit, so nothing
/// half-written ever shows. An append is a new upload whose first bytes are the existing object (copied inside the store when it can be a
/// part of its own, read into the first part when it is below S3's 5 MiB minimum): the old object stays untouched
/// until commit replaces it whole.
/// </summary>
internal sealed class S3Writer : IStorageWriter
{
    private readonly S3Bucket _bucket;
    private readonly PartBufferPool _buffers;
    private readonly string _key;
    private readonly List<PartETag> _parts = [];
    private byte[]? _buffer;
    private int _buffered;
    private byte[]? _sendingBuffer;
    private Task<PartETag>? _sending;
    private string? _uploadId;
    private bool _committed;

    private S3Writer(S3Bucket bucket, PartBufferPool buffers, string key)
    {
        _bucket = bucket;
        _buffers = buffers;
        _key = key;
    }

    public long Size { get; private set; }

    public static async Task<S3Writer> OpenAsync(S3Bucket bucket, PartBufferPool buffers, string key, bool append,
        CancellationToken cancellationToken)
    {
        var writer = new S3Writer(bucket, buffers, key);
        if (!append)
        {
            return writer;
        }

        try
        {
            await writer.StartFromExistingAsync(cancellationToken);
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
        ObjectDisposedException.ThrowIf(_committed, this);
        while (!buffer.IsEmpty)
        {
            _buffer ??= _buffers.Rent();
            var count = Math.Min(buffer.Length, _buffer.Length - _buffered);
            buffer.Span[..count].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += count;
            Size += count;
            buffer = buffer[count..];
            if (_buffered == _buffer.Length)
            {
                await SendPartAsync(cancellationToken);
            }
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_uploadId is null)
        {
            // Everything fits in one part: one PutObject is atomic and costs one request instead of three.
            using var content = new MemoryStream(_buffer ?? [], 0, _buffered, writable: false);
            await _bucket.PutAsync(_key, content, cancellationToken);
        }
        else
        {
            if (_buffered > 0)
            {
                await SendPartAsync(cancellationToken);
            }

            await FinishSendingAsync();
            await _bucket.CompleteMultipartAsync(_key, _uploadId, _parts, cancellationToken);
        }

        _committed = true;
        ReturnBuffer();
    }

    public async ValueTask DisposeAsync()
    {
        if (_sending is not null)
        {
            // The part in flight holds its buffer until it ends; its failure is not this call's to report.
            await ((Task)_sending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ReturnSendingBuffer();
        }

        if (!_committed && _uploadId is not null)
        {
            await _bucket.AbortMultipartQuietlyAsync(_key, _uploadId);
        }

        _committed = true;
        ReturnBuffer();
    }

    private async Task StartFromExistingAsync(CancellationToken cancellationToken)
    {
        var existing = await _bucket.HeadAsync(_key, cancellationToken);
        if (existing is null)
        {
            return;
        }

        if (existing.ContentLength >= S3DriverOptions.MinPartSize)
        {
            _uploadId = await _bucket.StartMultipartAsync(_key, cancellationToken);
            _parts.AddRange(await S3PartCopy.CopyPartsAsync(_bucket, _key, existing.ContentLength, existing.ETag, _key, _uploadId,
                cancellationToken));
            Size = existing.ContentLength;
            return;
        }

        // Below the part minimum the old bytes cannot be a part of their own: they start the first part instead.
        var request = new GetObjectRequest { BucketName = _bucket.Name, Key = _key, EtagToMatch = existing.ETag };
        using var response = await S3Bucket.CallOrMissingAsync("GET", _key, ct => _bucket.Client.GetObjectAsync(request, ct), cancellationToken);
        if (response is null)
        {
            return;
        }

        _buffer = _buffers.Rent();
        await S3Bucket.CallAsync("GET", _key, async ct =>
        {
            _buffered = await response.ResponseStream.ReadAtLeastAsync(_buffer, _buffer.Length, throwOnEndOfStream: false, ct);
            return _buffered;
        }, cancellationToken);
        Size = _buffered;
    }

    /// <summary>Starts sending the full buffer as the next part, after the part before it has been sent.</summary>
    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        _uploadId ??= await _bucket.StartMultipartAsync(_key, cancellationToken);
        await FinishSendingAsync();
        var partNumber = _parts.Count + 1;
        _sendingBuffer = _buffer;
        _sending = _bucket.UploadPartAsync(_key, _uploadId, partNumber, _sendingBuffer!, _buffered, cancellationToken);
        _buffer = null;
        _buffered = 0;
    }

    private async Task FinishSendingAsync()
    {
        if (_sending is null)
        {
            return;
        }

        try
        {
            _parts.Add(await _sending);
        }
        finally
        {
            _sending = null;
            ReturnSendingBuffer();
        }
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            _buffers.Return(_buffer);
            _buffer = null;
        }
    }

    private void ReturnSendingBuffer()
    {
        if (_sendingBuffer is not null)
        {
            _buffers.Return(_sendingBuffer);
            _sendingBuffer = null;
        }
    }
}
