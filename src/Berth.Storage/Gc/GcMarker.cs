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
internal sealed class GcMarker(IStorageDriver driver, GcReport report)
{
    private readonly Dictionary<DigestKey, ManifestReferences?> _references = [];

    public async Task<MarkResult> MarkAsync(bool deleteUntagged, CancellationToken cancellationToken)
    {
        var inUse = new UsageTally();
        var untagged = new List<UntaggedManifest>();
        foreach (var name in await RepositoriesAsync(cancellationToken))
        {
            await report.RepositoryAsync(name);
            inUse.StartRepository(name);
            var contents = await RepositoryContents.ReadAsync(driver, name, ReferencesAsync, cancellationToken);
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

        return new MarkResult(inUse, untagged);
    }

    /// <summary>The repositories as the catalog finds them, in name order.</summary>
    private async Task<IReadOnlyList<RepositoryName>> RepositoriesAsync(CancellationToken cancellationToken)
    {
        var found = await CatalogScan.FindAsync(driver, cancellationToken);
        return [.. found.Select(RepositoryName.Parse)];
    }

    /// <returns>The references, or null when the manifest's content is missing (the revision is then skipped).</returns>
    private async Task<ManifestReferences?> ReferencesAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = DigestKey.From(digest);
        if (!_references.TryGetValue(key, out var references))
        {
            var bytes = await driver.ReadAllAsync(RegistryPaths.BlobData(digest), cancellationToken);
            references = bytes is null ? null : ManifestReferences.Read(digest, bytes);
            if (references is { HasUnknownSizes: true })
            {
                references = await references.WithSizesAsync(async blob =>
                    await driver.StatAsync(RegistryPaths.BlobData(blob.ToDigest()), cancellationToken) is { IsDirectory: false } data ? data.Size : 0);
            }

            _references[key] = references;
        }

        return references;
    }
}
