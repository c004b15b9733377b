namespace Berth.Core.Stores;

/// <summary>A blob as the repository sees it.</summary>
/// <param name="LocalPath">Where the bytes lie on local disk, when the driver has such a place (for sendfile).</param>
public sealed record BlobInfo(Digest Digest, long Size, string? LocalPath);
