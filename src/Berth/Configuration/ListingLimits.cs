namespace Berth.Configuration;

/// <summary>
/// <c>catalog.maxentries</c> and <c>tags.maxtags</c>: the largest page (<c>n</c>) a catalog or tag list request gets.
/// </summary>
public sealed record ListingLimits
{
    /// <summary>The default of both keys, as in registry:3 (and registry:2 2.8.2 for the catalog).</summary>
    public const int DefaultLimit = 1000;

    /// <summary>
    /// <c>catalog.maxentries</c>: a catalog request for more names is refused with 400 PAGINATION_NUMBER_INVALID, as
    /// registry:2 2.8.2 and registry:3 both answer, key or no key.
    /// </summary>
    public int CatalogMaxEntries { get; init; } = DefaultLimit;

    /// <summary>
    /// <c>tags.maxtags</c>: a tag list request for more tags gets this many and a Link to the rest, as registry:3.1
    /// answers since it stopped refusing such requests (Renovate asks for 10000). Without <c>n</c>, every tag is listed.
    /// </summary>
    public int MaxTags { get; init; } = DefaultLimit;

    /// <summary>
    /// <c>catalog.refreshinterval</c> (Berth's own key): without Redis, how often the catalog re-reads storage to list
    /// repositories other nodes pushed. Null for the default (every minute on an object store, never on a filesystem).
    /// </summary>
    public TimeSpan? CatalogRefreshInterval { get; init; }
}
