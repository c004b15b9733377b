using Berth.Storage.Drivers;

namespace Berth.Redis;

/// <summary>What the link cache keeps for a path: nothing, the link file's content, or the blob's size.</summary>
internal enum CachedKind
{
    None,
    Link,
    BlobData,
}

/// <summary>
/// The paths whose reads Redis serves: the links a pull reads on every request (a tag's <c>current/link</c>, a
/// revision link, a layer link) and the size of blob content (<c>blobs/…/data</c>, stat only). Everything else goes
/// to storage. Tag history (<c>index/</c>), referrers and uploads are read rarely and never cached.
/// </summary>
internal static class CachedPaths
{
    private const int V2Depth = 3;

    public static CachedKind Classify(StoragePath path)
    {
        var segments = path.Value.Split('/');
        if (segments.Length < 5 || segments[0] != "docker" || segments[1] != "registry" || segments[2] != "v2")
        {
            return CachedKind.None;
        }

        if (segments[V2Depth] == "blobs")
        {
            return segments.Length == 8 && segments[7] == "data" && segments[6].StartsWith(segments[5], StringComparison.Ordinal)
                ? CachedKind.BlobData
                : CachedKind.None;
        }

        return segments[V2Depth] == "repositories" && segments[^1] == "link" && IsCachedLinkTail(segments, DataFolderIndex(segments))
            ? CachedKind.Link
            : CachedKind.None;
    }

    /// <summary>
    /// The cached paths a delete of <paramref name="folder"/> removes, when its shape says so without a listing:
    /// the path itself, a tag folder's <c>current/link</c>, a revision's or a layer's <c>link</c>, a blob's <c>data</c>.
    /// Null when the folder could hold cached paths at any depth (a repository, <c>_layers</c>): list it then.
    /// </summary>
    public static IReadOnlyList<StoragePath>? KnownBelow(StoragePath folder)
    {
        if (Classify(folder) != CachedKind.None)
        {
            return [folder];
        }

        foreach (var candidate in (ReadOnlySpan<StoragePath>)[folder.Append("link"), folder.Append("current", "link"), folder.Append("data")])
        {
            if (Classify(candidate) != CachedKind.None)
            {
                return [candidate];
            }
        }

        return MayHoldCached(folder) ? null : [];
    }

    /// <summary>Whether a folder may hold cached paths below it: an upload, a tag's history or referrers never do.</summary>
    public static bool MayHoldCached(StoragePath folder)
    {
        var segments = folder.IsRoot ? [] : folder.Value.Split('/');
        string[] v2 = ["docker", "registry", "v2"];
        for (var i = 0; i < Math.Min(segments.Length, v2.Length); i++)
        {
            if (segments[i] != v2[i])
            {
                return false;
            }
        }

        if (segments.Length <= V2Depth)
        {
            return true;
        }

        if (segments[V2Depth] == "blobs")
        {
            return segments.Length <= 7;
        }

        if (segments[V2Depth] != "repositories")
        {
            return false;
        }

        var data = DataFolderIndex(segments);
        return data < 0 || segments[data] switch
        {
            "_layers" => true,
            // tags/<tag>/index/... holds the tag's history, which is not cached.
            "_manifests" => !(segments.Length > data + 3 && segments[data + 1] == "tags" && segments[data + 3] == "index"),
            _ => false,
        };
    }

    /// <summary>The first segment after <c>repositories/</c> that starts with <c>_</c> (where the name ends); -1 if none.</summary>
    private static int DataFolderIndex(string[] segments)
    {
        for (var i = V2Depth + 2; i < segments.Length; i++)
        {
            if (segments[i].StartsWith('_'))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsCachedLinkTail(string[] segments, int data)
    {
        if (data < 0)
        {
            return false;
        }

        var tail = segments.AsSpan(data);
        return tail switch
        {
            ["_manifests", "tags", _, "current", "link"] => true,
            ["_manifests", "revisions", _, _, "link"] => true,
            ["_layers", _, _, "link"] => true,
            _ => false,
        };
    }
}
