using Berth.Core;
using Berth.Core.Retention;
using Berth.Storage.Gc;

namespace Berth.Storage.Retention;

/// <summary>What retention did to one repository (on a dry run: would do).</summary>
/// <param name="Verdict">The policy and the verdict per tag; no tags listed for a repository no policy covers.</param>
/// <param name="Removed">The tags removed; on a dry run, those the verdict removes.</param>
/// <param name="Moved">Tags the verdict removes but a push moved to another manifest meanwhile: kept.</param>
/// <param name="Deferred">Tags the verdict removes but whose manifest a request relied on during this online collection or
/// the last (a push of it): kept until a later collection removes them.</param>
/// <param name="Manifests">Manifests deleted (on a dry run, that would be) because of the removals and the policy.</param>
public sealed record RepositoryRetention(RepositoryVerdict Verdict, IReadOnlyList<Tag> Removed, IReadOnlyList<Tag> Moved,
    IReadOnlyList<Tag> Deferred, IReadOnlyList<CleanedManifest> Manifests)
{
    public RepositoryName Repository => Verdict.Repository;

    /// <summary>Why a tag the verdict removes is still there, or null when it is not (or the verdict keeps it).</summary>
    public string? KeptAfterAll(Tag tag) =>
        Moved.Contains(tag) ? "kept after all: pushed again while retention ran"
        : Deferred.Contains(tag) ? "kept for now: its manifest was pushed during this collection or the last; a later one removes it"
        : null;
}

/// <summary>What one retention run did, repository by repository in name order.</summary>
public sealed record RetentionResult(IReadOnlyList<RepositoryRetention> Repositories, bool DryRun)
{
    public int TagsRemoved => Repositories.Sum(repository => repository.Removed.Count);

    public int ManifestsDeleted => Repositories.Sum(repository => repository.Manifests.Count);
}
