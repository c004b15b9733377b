namespace Berth.Core.Manifests;

/// <summary>
/// Which entries of a pushed image index must already be manifests of the repository
/// (<c>validation.manifests.indexes</c>): all of them (the default, and what registry:2 always did), none (sparse
/// indexes), or those whose platform is on a list.
/// </summary>
public sealed class IndexChildPolicy
{
    private readonly IReadOnlyList<Platform>? _platforms;

    private IndexChildPolicy(IReadOnlyList<Platform>? platforms, bool none)
    {
        _platforms = platforms;
        IsNone = none;
    }

    public static IndexChildPolicy All { get; } = new(null, none: false);

    public static IndexChildPolicy None { get; } = new(null, none: true);

    /// <summary>Entries whose os and architecture equal one of <paramref name="platforms"/> (exactly, as registry:3
    /// compares; variant is not looked at). An empty list means every entry, as in registry:3.</summary>
    public static IndexChildPolicy ForPlatforms(IReadOnlyList<Platform> platforms) =>
        platforms.Count == 0 ? All : new IndexChildPolicy(platforms, none: false);

    public bool IsNone { get; }

    /// <summary>The platforms checked, or null when the policy is not a list.</summary>
    public IReadOnlyList<Platform>? Platforms => _platforms;

    public bool MustExist(Descriptor child)
    {
        if (IsNone)
        {
            return false;
        }

        return _platforms is null
            || (child.Platform is { } platform
                && _platforms.Any(p => string.Equals(p.Os, platform.Os, StringComparison.Ordinal)
                                       && string.Equals(p.Architecture, platform.Architecture, StringComparison.Ordinal)));
    }
}
