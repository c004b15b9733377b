namespace Berth.Proxy.Cache;

/// <summary>One client's read of a <see cref="BlobFill"/>'s spool, from its start, waiting at the end of what arrived so far.</summary>
internal sealed class BlobFillReader(BlobFill fill, FileStream spool) : Stream
{
    private bool _closed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => spool.Position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || await fill.AvailableAsync(spool.Position, cancellationToken) is not { } available)
        {
            return 0;
        }

        return await spool.ReadAsync(buffer[..(int)Math.Min(buffer.Length, available)], cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            spool.Dispose();
            fill.ReaderClosed();
        }

        base.Dispose(disposing);
    }
}
