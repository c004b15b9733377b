using System.Collections.Concurrent;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.State;
using Berth.Storage.Usage;

namespace Berth.Storage.Gc;

/// <summary>A manifest --delete-untagged removes, with what its removal must clean up besides the revision.</summary>
internal sealed record UntaggedManifest(ManifestRevision Revision, Digest? Subject, IReadOnlyList<Tag> RepositoryTags);

/// <summary>
/// The mark phase's answer: every blob in use (in <paramref name="InUse"/>, which counts storage used per repository
/// as it marks), and the manifests to remove from their repositories.
/// </summary>
internal sealed record MarkResult(UsageTally InUse, IReadOnlyList<UntaggedManifest> Untagged)
{
    public bool IsMarked(Digest digest) => InUse.Contains(digest);
}

/// <summary>
/// The mark phase, apart from the sweep so an online collector can run it too. For every repository and every
/// manifest revision in it: the manifest is kept (with --delete-untagged only as <see cref="GcKeepSet"/> says),
/// and then its own digest and every blob it references are marked. A manifest's references are read once however
/// many repositories hold it, and kept as <see cref="DigestKey"/>s, so the mark holds no string per blob.
/// </summary>
/// <param name="readAhead">
/// How many repositories are read at once ahead of the one being marked. Marking is in order (the report and the
/// count per repository depend on it), but reading is waiting: for a link on an object store a round trip, on a
/// filesystem a hop through the thread pool per file, which on a busy machine costs more than the read itself. With 1
/// the reads are one after another, as gentle as can be beside requests.
/// </param>
internal sealed class GcMarker(IStorageDriver driver, GcReport report, int readAhead = 1)
{
    /// <summary>What the offline collector reads ahead: it has the machine to itself.</summary>
    public const int OfflineReadAhead = 16;

    private readonly ConcurrentDictionary<DigestKey, Task<ManifestReferences?>> _references = new();

    public async Task<MarkResult> MarkAsync(bool deleteUntagged, CancellationToken cancellationToken)
    {
        var inUse = new UsageTally();
        var untagged = new List<UntaggedManifest>();
        var names = await RepositoriesAsync(cancellationToken);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = new Queue<Task<RepositoryContents>>();
        var next = 0;
        void ReadAhead()
        {
            while (reading.Count < Math.Max(readAhead, 1) && next < names.Count)
            {
                reading.Enqueue(RepositoryContents.ReadAsync(driver, names[next++], ReferencesAsync, stopReading.Token));
            }
        }

        try
        {
            ReadAhead();
            foreach (var name in names)
            {
                var contents = await reading.Dequeue();
                ReadAhead();
                await MarkRepositoryAsync(contents, deleteUntagged, inUse, untagged);
            }
        }
        finally
        {
            // A failure (an unreadable manifest) or a stop: the reads still under way are called off and awaited.
            await stopReading.CancelAsync();
            await ((Task)Task.WhenAll(reading)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return new MarkResult(inUse, untagged);
    }

    private async Task MarkRepositoryAsync(RepositoryContents contents, bool deleteUntagged, UsageTally inUse, List<UntaggedManifest> untagged)
    {
        var name = contents.Name;
        await report.RepositoryAsync(name);
        inUse.StartRepository(name);
        var kept = deleteUntagged ? GcKeepSet.Compute(contents.Revisions, contents.Tagged) : null;
        foreach (var revision in contents.Revisions)
        {
            if (kept is not null && !kept.ContainsKey(revision.Digest))
            {
                await report.ManifestEligibleAsync(revision.Digest);
                untagged.Add(new UntaggedManifest(new ManifestRevision(name, revision.Digest), revision.References.Subject, contents.Tags));
                continue;
            }

            if (kept is not null && kept[revision.Digest] is { KeptBy: { } keptBy } reason)
            {
                // Where Berth keeps more than registry:2 would: say so, and why, so the difference is no surprise.
                await report.KeptUntaggedAsync(name, revision.Digest, keptBy, reason.AsReferrer);
            }

            await report.MarkingManifestAsync(name, revision.Digest);
            inUse.Add(DigestKey.From(revision.Digest), revision.References.Size);
            foreach (var blob in revision.References.Blobs)
            {
                inUse.Add(blob.Key, blob.Size);
                await report.MarkingBlobAsync(name, blob.Key);
            }
        }
    }

    /// <summary>The repositories as the catalog finds them, in name order.</summary>
    private async Task<IReadOnlyList<RepositoryName>> RepositoriesAsync(CancellationToken cancellationToken)
    {
        var found = await CatalogScan.FindAsync(driver, cancellationToken);
        return [.. found.Select(RepositoryName.Parse)];
    }

    /// <returns>The references, or null when the manifest's content is missing (the revision is then skipped).</returns>
    /// <remarks>Repositories read at once may hold the same manifest: the first read is shared, never repeated.</remarks>
    private Task<ManifestReferences?> ReferencesAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = DigestKey.From(digest);
        return _references.TryGetValue(key, out var references)
            ? references
            : _references.GetOrAdd(key, _ => ReadReferencesAsync(digest, cancellationToken));
    }

    private async Task<ManifestReferences?> ReadReferencesAsync(Digest digest, CancellationToken cancellationToken)
    {
        var bytes = await driver.ReadAllAsync(RegistryPaths.BlobData(digest), cancellationToken);
        var references = bytes is null ? null : ManifestReferences.Read(digest, bytes);
        if (references is { HasUnknownSizes: true })
        {
            references = await references.WithSizesAsync(async blob =>
                await driver.StatAsync(RegistryPaths.BlobData(blob.ToDigest()), cancellationToken) is { IsDirectory: false } data ? data.Size : 0);
        }

        return references;
    }
}
