using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.State;

namespace Berth.Storage.Gc;

/// <summary>A manifest --delete-untagged removes, with what its removal must clean up besides the revision.</summary>
internal sealed record UntaggedManifest(ManifestRevision Revision, Digest? Subject, IReadOnlyList<Tag> RepositoryTags);

/// <summary>The mark phase's answer: every digest in use, and the manifests to remove from their repositories.</summary>
internal sealed record MarkResult(IReadOnlySet<Digest> Marked, IReadOnlyList<UntaggedManifest> Untagged);

/// <summary>
/// The mark phase, apart from the sweep so an online collector can run it too. For every repository and every
/// manifest revision in it: the manifest is kept (with --delete-untagged only as <see cref="GcKeepSet"/> says),
/// and then its own digest and every blob it references are marked. A manifest's references are read once however
/// many repositories hold it.
/// </summary>
internal sealed class GcMarker(IStorageDriver driver, GcReport report)
{
    private readonly ReferenceCache _references = new(driver);

    public async Task<MarkResult> MarkAsync(bool deleteUntagged, CancellationToken cancellationToken)
    {
        var marked = new HashSet<Digest>();
        var untagged = new List<UntaggedManifest>();
        foreach (var name in await RepositoriesAsync(cancellationToken))
        {
            await report.RepositoryAsync(name);
            var contents = await RepositoryContents.ReadAsync(driver, name, _references.ReadAsync, cancellationToken);
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
                marked.Add(revision.Digest);
                foreach (var blob in revision.References.Blobs)
                {
                    marked.Add(blob);
                    await report.MarkingBlobAsync(name, blob);
                }
            }
        }

        return new MarkResult(marked, untagged);
    }

    /// <summary>The repositories as the catalog finds them, in name order.</summary>
    private async Task<IReadOnlyList<RepositoryName>> RepositoriesAsync(CancellationToken cancellationToken)
    {
        var found = await CatalogScan.FindAsync(driver, cancellationToken);
        return [.. found.Select(RepositoryName.Parse)];
    }
}
