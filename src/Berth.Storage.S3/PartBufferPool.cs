using System.Collections.Concurrent;

namespace Berth.Storage.S3;

/// <summary>
/// Buffers of exactly one part, reused across writers. The shared ArrayPool would hand out 16 MiB for a 10 MiB part
/// (it rounds to powers of two); this keeps a writer's memory at two parts (one filling, one sending), and a few idle
/// buffers between uploads.
/// </summary>
internal sealed class PartBufferPool(int partSize, int maxIdle)
{
    private readonly ConcurrentBag<byte[]> _idle = [];
    private int _outstanding;

    public int PartSize { get; } = partSize;

    /// <summary>Buffers handed out and not yet returned: at most two per writer (one filling, one sending).</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    public byte[] Rent()
    {
        Interlocked.Increment(ref _outstanding);
        return _idle.TryTake(out var buffer) ? buffer : new byte[PartSize];
    }

    public void Return(byte[] buffer)
    {
        Interlocked.Decrement(ref _outstanding);
        if (_idle.Count < maxIdle)
        {
            _idle.Add(buffer);
        }
    }
}
