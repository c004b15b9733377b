namespace Berth.Configuration;

/// <summary>Binds <c>catalog.*</c> and <c>tags.*</c> (the page limits of registry:3, and Berth's catalog refresh).</summary>
internal static class ListingLimitsBinder
{
    public static ListingLimits Bind(ConfigSection root)
    {
        var catalog = root.GetSection("catalog");
        var refresh = catalog.GetDuration("refreshinterval", positive: true);
        return new ListingLimits
        {
            CatalogMaxEntries = ReadLimit(catalog, "maxentries"),
            MaxTags = ReadLimit(root.GetSection("tags"), "maxtags"),
            CatalogRefreshInterval = refresh,
        };
    }

    /// <summary>
    /// registry:3 replaces a limit of 0 (or less) by its default; Berth reads 0 the same way and refuses a negative
    /// number, which can only be a mistake.
    /// </summary>
    private static int ReadLimit(ConfigSection section, string key)
    {
        var limit = section.GetInt(key, minimum: 0);
        section.WarnUnknownKeys();
        return limit is null or 0 ? ListingLimits.DefaultLimit : limit.Value;
    }
}
