using System.Collections.Concurrent;
using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Ui;

/// <summary>One repository as the repositories page lists it.</summary>
/// <param name="LastPush">When a manifest was last pushed or a tag added or removed; null where storage keeps no folder
/// times (object stores).</param>
internal sealed record RepositorySummary(string Name, int Tags, DateTimeOffset? LastPush);

/// <summary>
/// The tag count and last push of every repository, for the repositories page and the overview: an index in memory,
/// so a page of 10,000 repositories is answered without touching storage. A repository is read once when first
/// asked for (a stat of two folders, and its tag list, itself cached by folder time); afterwards the figures are
/// served at once and, once older than <see cref="FreshFor"/>, re-read in the background, one refresh at a time. So
/// the page lags pushes by at most that long plus one refresh; the tags of one repository are always read current.
/// </summary>
internal sealed class RepositorySummaries(IRegistryStore store, IStorageDriver driver, TimeProvider time)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(10);

    /// <summary>How many repositories are read at once: enough to hide storage latency, few enough to spare the store.</summary>
    private const int Parallelism = 16;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _refreshing = new();
    private Task _refresh = Task.CompletedTask;

    /// <summary>The figures of <paramref name="names"/> (in that order); repositories gone since are left out.</summary>
    public async Task<IReadOnlyList<RepositorySummary>> GetAsync(IReadOnlyList<RepositoryName> names, CancellationToken cancellationToken)
    {
        var unseen = names.Where(name => !_entries.ContainsKey(name.Value)).ToList();
        if (unseen.Count > 0)
        {
            await ReadAsync(unseen, cancellationToken);
        }

        var now = time.GetUtcNow();
        var stale = names.Where(name => _entries.TryGetValue(name.Value, out var entry) && now - entry.ReadAt > FreshFor).ToList();
        if (stale.Count > 0)
        {
            RefreshInBackground(stale);
        }

        var summaries = new List<RepositorySummary>(names.Count);
        foreach (var name in names)
        {
            if (_entries.TryGetValue(name.Value, out var entry) && entry.Summary is { } summary)
            {
                summaries.Add(summary);
            }
        }

        return summaries;
    }

    /// <summary>Drops what is known of <paramref name="name"/>, after a change made here, so the next look reads it again.</summary>
    public void Forget(RepositoryName name) => _entries.TryRemove(name.Value, out _);

    private void RefreshInBackground(List<RepositoryName> stale)
    {
        lock (_refreshing)
        {
            if (_refresh.IsCompleted)
            {
                // Not the request's token: the refresh serves whoever looks next, even if this caller has gone.
                _refresh = Task.Run(() => ReadAsync(stale, CancellationToken.None), CancellationToken.None);
            }
        }
    }

    private Task ReadAsync(List<RepositoryName> names, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (name, token) =>
            {
                var readAt = time.GetUtcNow();
                var summary = await ReadOneAsync(name, token);
                _entries[name.Value] = new Entry(summary, readAt);
            });

    private async Task<RepositorySummary?> ReadOneAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        var tags = await store.Repository(name).Tags.ListAsync(cancellationToken);
        if (tags is null)
        {
            return null;
        }

        var repository = RegistryPaths.Repository(name);
        var tagFolder = await driver.StatAsync(RegistryPaths.Tags(name), cancellationToken);
        var revisions = await driver.StatAsync(repository.Append(RegistryPaths.ManifestsFolder, "revisions", "sha256"), cancellationToken);
        var lastPush = Later(tagFolder?.ModifiedAt, revisions?.ModifiedAt);
        return new RepositorySummary(name.Value, tags.Count, lastPush);
    }

    /// <summary>The later of two folder times; object stores report none (<see cref="DateTimeOffset.MinValue"/>).</summary>
    private static DateTimeOffset? Later(DateTimeOffset? first, DateTimeOffset? second)
    {
        var later = (first ?? DateTimeOffset.MinValue) > (second ?? DateTimeOffset.MinValue) ? first : second;
        return later is { } time && time != DateTimeOffset.MinValue ? time : null;
    }

    private sealed record Entry(RepositorySummary? Summary, DateTimeOffset ReadAt);
}
