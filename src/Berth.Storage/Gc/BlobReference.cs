namespace Berth.Storage.Gc;

/// <summary>A blob a manifest names, with the size its descriptor gives (what storage used is counted in).</summary>
/// <param name="Size">From the descriptor; a Docker schema1 manifest names no sizes, and its layers are stat'ed instead.</param>
internal readonly record struct BlobReference(DigestKey Key, long Size)
{
    /// <summary>The size of a reference whose manifest does not say (schema1).</summary>
    public const long UnknownSize = -1;
}
