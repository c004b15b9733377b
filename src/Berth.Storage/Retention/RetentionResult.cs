using Berth.Core;
using Berth.Core.Retention;
using Berth.Storage.Gc;

namespace Berth.Storage.Retention;

/// <summary>What retention did to one repository (on a dry run: would do).</summary>
/// <param name="Verdict">The policy and the verdict per tag; no tags listed for a repository no policy covers.</param>
/// <param name="Removed">The tags removed; on a dry run, those the verdict removes.</param>
/// <param name="Moved">Tags the verdict removes but a push moved to another manifest meanwhile: kept.</param>
/// <param name="Manifests">Manifests deleted (on a dry run, that would be) because of the removals and the policy.</param>
public sealed record RepositoryRetention(RepositoryVerdict Verdict, IReadOnlyList<Tag> Removed, IReadOnlyList<Tag> Moved,
    IReadOnlyList<CleanedManifest> Manifests)
{
    public RepositoryName Repository => Verdict.Repository;
}

/// <summary>What one retention run did, repository by repository in name order.</summary>
public sealed record RetentionResult(IReadOnlyList<RepositoryRetention> Repositories, bool DryRun)
{
    public int TagsRemoved => Repositories.Sum(repository => repository.Removed.Count);

    public int ManifestsDeleted => Repositories.Sum(repository => repository.Manifests.Count);
}
