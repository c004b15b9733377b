namespace Berth.Storage.Stores;

/// <summary>
/// The lookups of one cache, hit or missed: what metrics read (registry:2's <c>registry_storage_cache_total</c>). The
/// host makes one per cache only with metrics on; a cache given none counts nothing and pays one null check. A lookup
/// costs one interlocked increment and allocates nothing; requests are not counted apart, since every request is
/// exactly one hit or one miss, as registry:2 counts them.
/// </summary>
public sealed class CacheCounter(string name)
{
    private long _hits;
    private long _misses;

    /// <summary>The cache, as metrics label it.</summary>
    public string Name { get; } = name;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public void Count(bool hit)
    {
        if (hit)
        {
            Interlocked.Increment(ref _hits);
        }
        else
        {
            Interlocked.Increment(ref _misses);
        }
    }
}
