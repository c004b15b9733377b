namespace Berth.Redis;

/// <summary>What the link cache keeps for a path: nothing, the link file's content, or the blob's size.</summary>
internal enum CachedKind
{
    None,
    Link,
    BlobData,
}
