namespace Berth.Core.Stores;

/// <summary>
/// The names of the repositories that hold a manifest or a linked blob (a superset of what registry:2 lists), kept
/// current on writes: never a walk of storage per request. One node keeps it in memory; several nodes share it in
/// Redis, or (without Redis) each re-reads storage periodically, so another node's new repository shows up late.
/// </summary>
public interface ICatalog
{
    /// <summary>Up to <paramref name="count"/> names after <paramref name="last"/> (exclusive), in ordinal order.</summary>
    ValueTask<RepositoryPage> PageAsync(string? last, int count, CancellationToken cancellationToken);

    ValueTask<bool> ContainsAsync(RepositoryName name, CancellationToken cancellationToken);
}
