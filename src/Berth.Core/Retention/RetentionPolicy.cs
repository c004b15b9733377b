using Berth.Core.Patterns;

namespace Berth.Core.Retention;

/// <summary>
/// One <c>storage.retention.policies</c> entry: the repositories it covers and what it keeps of them.
/// </summary>
/// <param name="Key">Where the policy was written (<c>storage.retention.policies.0</c>).</param>
/// <param name="DeleteUntagged">A manifest whose last tag retention removed is deleted too (and its platform images).</param>
/// <param name="DeleteReferrers">Referrers (signatures, SBOMs) whose subject manifest is gone are deleted too.</param>
/// <param name="KeepTags">No entry: every tag is kept (as zot). Otherwise a tag no entry keeps is removed.</param>
public sealed record RetentionPolicy(string Key, IReadOnlyList<RepositoryGlob> Repositories, bool DeleteUntagged, bool DeleteReferrers,
    IReadOnlyList<KeepTagsRule> KeepTags)
{
    public bool Covers(RepositoryName repository) => RepositoryGlob.MatchesAny(Repositories, repository.Value);

    public override string ToString() => $"{Key} (repositories: {string.Join(", ", Repositories.Select(r => r.Pattern))})";
}
