namespace Berth.Core.Stores;

/// <summary>A chunk's declared place in an upload: bytes <see cref="Start"/> to <see cref="End"/>, inclusive.</summary>
public readonly record struct ChunkRange(long Start, long End)
{
    public long Length => End - Start + 1;
}
