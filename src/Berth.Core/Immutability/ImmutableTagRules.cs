using Berth.Core.Errors;

namespace Berth.Core.Immutability;

/// <summary>
/// Every <c>storage.immutabletags</c> rule, and the refusals they cause. With no rule configured
/// <see cref="IsEmpty"/> is the only thing the manifest paths ask, so the feature costs one field read when unused.
/// </summary>
/// <remarks>
/// A refusal is 409 Conflict with the OCI code <c>DENIED</c>: the request is well formed and the caller may push, but
/// the registry's policy forbids the change the tag's current state would undergo. <c>TAG_INVALID</c> would tell the
/// client its tag is malformed (Berth already answers it, with 400, for a tag that breaks the grammar), and 403 would
/// read as a credentials problem; 409 says "conflicts with what is there", which is what a moved immutable tag does.
/// </remarks>
public sealed class ImmutableTagRules
{
    private readonly ImmutableTagRule[] _rules;

    public ImmutableTagRules(IEnumerable<ImmutableTagRule> rules) => _rules = [.. rules];

    public static ImmutableTagRules None { get; } = new([]);

    public bool IsEmpty => _rules.Length == 0;

    public IReadOnlyList<ImmutableTagRule> Rules => _rules;

    /// <summary>Whether any rule covers <paramref name="repository"/> at all: then some of its tags may be immutable.</summary>
    public bool AnyFor(RepositoryName repository) => _rules.Length > 0 && Array.Exists(_rules, rule => rule.Covers(repository));

    /// <returns>The first rule that makes <paramref name="tag"/> immutable in <paramref name="repository"/>, or null.</returns>
    public ImmutableTagRule? Find(RepositoryName repository, Tag tag)
    {
        foreach (var rule in _rules)
        {
            if (rule.Covers(repository) && rule.Matches(tag))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>A push of <paramref name="tag"/> to a manifest other than the one it names.</summary>
    public static RegistryException MoveRefused(ImmutableTagRule rule, RepositoryName repository, Tag tag, Digest current, Digest pushed) =>
        Refusal($"{repository}:{tag} is immutable and points at {current}; it cannot be moved to {pushed}. Matching rule: {rule}");

    /// <summary>A DELETE of <paramref name="tag"/>, or of the manifest it points at (which would delete the tag too).</summary>
    public static RegistryException DeleteRefused(ImmutableTagRule rule, RepositoryName repository, Tag tag, Digest? digest) =>
        Refusal(digest is { } d
            ? $"{d} is tagged {repository}:{tag}, which is immutable, so the manifest cannot be deleted. Matching rule: {rule}"
            : $"{repository}:{tag} is immutable and cannot be deleted. Matching rule: {rule}");

    /// <summary>A whole-repository deletion of a repository that holds an immutable tag.</summary>
    public static RegistryException RepositoryDeleteRefused(ImmutableTagRule rule, RepositoryName repository, Tag tag) =>
        Refusal($"{repository} holds the immutable tag {tag}, so the repository cannot be deleted. Matching rule: {rule}");

    private static RegistryException Refusal(string detail) =>
        new(RegistryErrorCode.Denied, "the tag is immutable", detail, status: 409);
}
