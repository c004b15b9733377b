using System.Collections.Concurrent;

namespace Berth.Storage.Stores;

/// <summary>
/// Sorted tag lists by repository, each valid for one modification time of the repository's tags folder. Adding
/// or removing a tag folder changes that time, whoever does it, so a listing is read from storage again only after
/// a change. File times tick coarsely (milliseconds), so a listing taken while the folder had just changed is not
/// kept: a second change within the same tick could otherwise go unseen.
/// </summary>
/// <param name="counter">Counts each <see cref="Get"/> a hit or a miss (a list of another folder time is a miss), with metrics on.</param>
internal sealed class TagListCache(TimeProvider time, CacheCounter? counter = null)
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyList<string>? Get(string repository, DateTimeOffset folderModifiedAt)
    {
        var tags = _entries.TryGetValue(repository, out var entry) && entry.FolderModifiedAt == folderModifiedAt ? entry.Tags : null;
        counter?.Count(tags is not null);
        return tags;
    }

    public void Put(string repository, DateTimeOffset folderModifiedAt, IReadOnlyList<string> tags)
    {
        if (time.GetUtcNow() - folderModifiedAt >= SettleTime)
        {
            _entries[repository] = new Entry(folderModifiedAt, tags);
        }
    }

    /// <summary>Forgets a repository's list when this process changes its tags (belt and braces to the time check).</summary>
    public void Invalidate(string repository) => _entries.TryRemove(repository, out _);

    private sealed record Entry(DateTimeOffset FolderModifiedAt, IReadOnlyList<string> Tags);
}
