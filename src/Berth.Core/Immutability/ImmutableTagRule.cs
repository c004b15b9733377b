using Berth.Core.Patterns;

namespace Berth.Core.Immutability;

/// <summary>
/// One <c>storage.immutabletags</c> entry: the tags matching any of <see cref="Tags"/> in the repositories matching
/// any of <see cref="Repositories"/> may be pushed once and then never moved to another manifest or deleted.
/// </summary>
/// <param name="Key">Where the rule was written (<c>storage.immutabletags.0</c>), named in every refusal.</param>
public sealed record ImmutableTagRule(string Key, IReadOnlyList<RepositoryGlob> Repositories, IReadOnlyList<TagGlob> Tags)
{
    public bool Covers(RepositoryName repository) => RepositoryGlob.MatchesAny(Repositories, repository.Value);

    public bool Matches(Tag tag)
    {
        foreach (var glob in Tags)
        {
            if (glob.IsMatch(tag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How the rule reads in a refusal: its key and both pattern lists.</summary>
    public override string ToString() =>
        $"{Key} (repositories: {string.Join(", ", Repositories.Select(r => r.Pattern))}; tags: {string.Join(", ", Tags.Select(t => t.Pattern))})";
}
