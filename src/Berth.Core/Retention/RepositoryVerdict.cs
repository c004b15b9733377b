namespace Berth.Core.Retention;

/// <summary>What retention decided for one repository: the policy that covers it (null: none) and a verdict per tag.</summary>
public sealed record RepositoryVerdict(RepositoryName Repository, RetentionPolicy? Policy, IReadOnlyList<TagVerdict> Tags)
{
    public IEnumerable<TagVerdict> Removed => Tags.Where(tag => !tag.Keep);

    public bool RemovesAny => Tags.Any(tag => !tag.Keep);
}
