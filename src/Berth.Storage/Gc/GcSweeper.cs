using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Gc;

/// <summary>
/// The sweep: removes the untagged manifests the mark phase chose, then every blob under <c>blobs/</c> that is not
/// marked. Blob links (<c>_layers</c>) and uploads are left alone, as registry:2 leaves them: a link whose content is
/// gone reads as absent.
/// </summary>
/// <param name="parallelDeletes">
/// How many deletions run at once. A deletion is mostly waiting (for the filesystem's journal, an object store's round
/// trip): one at a time, 40,000 blob folders took 39 s on the benchmark's disk, sixteen at a time a quarter of that.
/// </param>
internal sealed class GcSweeper(IStorageDriver driver, GcReport report, bool dryRun, int parallelDeletes = 1)
{
    /// <summary>What the offline collector runs at once: nothing else uses the storage meanwhile.</summary>
    public const int OfflineParallelDeletes = 16;

    /// <summary>Removes each manifest as registry:2 does: its tag history entries, then its revision link.</summary>
    public async Task RemoveManifestsAsync(IReadOnlyList<UntaggedManifest> manifests, CancellationToken cancellationToken)
    {
        if (!dryRun)
        {
            await EachAsync(manifests, (manifest, token) => RemoveManifestAsync(driver, manifest, token), cancellationToken);
        }
    }

    /// <summary>Removes one manifest from its repository: its tag history entries, referrers entry and revision link.</summary>
    public static async Task RemoveManifestAsync(IStorageDriver driver, UntaggedManifest manifest, CancellationToken cancellationToken)
    {
        var (revision, subject, tags) = manifest;
        foreach (var tag in tags)
        {
            await driver.DeleteAsync(GcPaths.TagIndexEntry(revision.Repository, tag, revision.Digest), cancellationToken);
        }

        if (subject is { } referred)
        {
            // Berth's own referrers index; registry:2 does not know it. Stale entries are filtered on read anyway.
            await driver.DeleteAsync(GcPaths.ReferrerEntry(revision.Repository, referred, revision.Digest), cancellationToken);
        }

        await driver.DeleteAsync(RegistryPaths.RevisionLinkFolder(revision.Repository, revision.Digest), cancellationToken);
    }

    /// <summary>
    /// The blobs under <c>blobs/</c> that <paramref name="include"/> accepts and that have a <c>data</c> file, read folder
    /// by folder rather than all at once; the filter runs before the file is looked at, which saves a call per blob.
    /// </summary>
    public static async IAsyncEnumerable<(Digest Digest, StorageEntry Data)> BlobsAsync(IStorageDriver driver, Func<Digest, bool> include,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var algorithm in driver.ListAsync(GcPaths.Blobs, cancellationToken))
        {
            await foreach (var prefix in driver.ListAsync(algorithm.Path, cancellationToken))
            {
                await foreach (var entry in driver.ListAsync(prefix.Path, cancellationToken))
                {
                    // registry:2 enumerates blobs by their data files; a folder without one is not a blob.
                    if (Digest.TryParse(algorithm.Path.Name + ":" + entry.Path.Name, out var digest) && prefix.Path.Name == digest.Hex[..2]
                        && include(digest) && await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is { IsDirectory: false } data)
                    {
                        yield return (digest, data);
                    }
                }
            }
        }
    }

    /// <returns>The blobs deleted (on a dry run: that would have been), in digest order.</returns>
    /// <remarks>Every eligible blob is reported before the first is deleted, in order, however the deletions interleave.</remarks>
    public async Task<IReadOnlyList<Digest>> SweepBlobsAsync(MarkResult mark, CancellationToken cancellationToken)
    {
        var eligible = new List<DigestKey>();
        await foreach (var (digest, _) in BlobsAsync(driver, digest => !mark.IsMarked(digest), cancellationToken))
        {
            eligible.Add(DigestKey.From(digest));
        }

        eligible.Sort();
        await report.SummaryAsync(mark.InUse.Count, eligible.Count, mark.Untagged.Count);
        foreach (var blob in eligible)
        {
            await report.BlobEligibleAsync(blob);
        }

        if (!dryRun)
        {
            // In an order unrelated to their folders (the hash is seeded per process): in digest order the deletions
            // running together would all be in one blobs/<alg>/<2 hex>/ folder, each waiting for that folder's lock.
            await EachAsync(eligible.OrderBy(blob => blob.GetHashCode()), (blob, token) => driver.DeleteAsync(GcPaths.BlobFolder(blob.ToDigest()), token),
                cancellationToken);
        }

        return new DigestKeyList(eligible);
    }

    private Task EachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> action, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(parallelDeletes, 1), CancellationToken = cancellationToken },
            (item, token) => new ValueTask(action(item, token)));
}
