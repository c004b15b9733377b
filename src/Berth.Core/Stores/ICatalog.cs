namespace Berth.Core.Stores;

/// <summary>
/// The names of the repositories that hold a manifest or a linked blob (a superset of what registry:2 lists), kept
/// current on writes: never a walk of storage per request.
/// </summary>
public interface ICatalog
{
    /// <summary>Up to <paramref name="count"/> names after <paramref name="last"/> (exclusive), in ordinal order.</summary>
    /// <param name="hasMore">Whether names follow the page.</param>
    IReadOnlyList<string> Page(string? last, int count, out bool hasMore);

    bool Contains(RepositoryName name);
}
