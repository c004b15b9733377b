using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// Every file and folder under a storage root with each file's size, minus <c>.berth-tmp</c> (scratch space
/// that may hold half-written temp files for a moment). Two equal snapshots mean nothing was written or cut.
/// </summary>
public sealed class StorageSnapshot
{
    private const string Scratch = ".berth-tmp";
    private readonly SortedDictionary<string, long> _entries;

    private StorageSnapshot(SortedDictionary<string, long> entries) => _entries = entries;

    public static StorageSnapshot Take(string root)
    {
        var entries = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            if (relative == Scratch || relative.StartsWith(Scratch + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            entries[relative] = entry is FileInfo file ? file.Length : -1;
        }

        return new StorageSnapshot(entries);
    }

    /// <summary>Asserts <paramref name="after"/> holds exactly what this snapshot held, naming what changed.</summary>
    public void AssertUnchanged(StorageSnapshot after)
    {
        var added = after._entries.Keys.Except(_entries.Keys).ToList();
        var removed = _entries.Keys.Except(after._entries.Keys).ToList();
        var resized = _entries.Where(entry => after._entries.TryGetValue(entry.Key, out var size) && size != entry.Value)
            .Select(entry => $"{entry.Key}: {entry.Value} -> {after._entries[entry.Key]}").ToList();
        Assert.True(added.Count + removed.Count + resized.Count == 0,
            $"storage changed. added: [{string.Join(", ", added)}] removed: [{string.Join(", ", removed)}] resized: [{string.Join(", ", resized)}]");
    }
}
