namespace Berth.Storage.Gc;

/// <summary>The switches of registry:2's and registry:3's <c>garbage-collect</c>, with the same meaning.</summary>
public sealed record GarbageCollectionOptions
{
    /// <summary><c>--dry-run</c>: mark and report everything, delete nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// <c>--delete-untagged</c>: a manifest no tag currently points at is removed from its repository instead of
    /// marked, unless a kept index names it or it refers to a kept manifest (see <see cref="GcKeepSet"/>).
    /// </summary>
    public bool DeleteUntagged { get; init; }

    /// <summary>
    /// registry:3's <c>--quiet</c>: write none of the report (repositories, marks, summary, eligible blobs). Failures
    /// still surface as exceptions, so the caller's error line and exit status are unchanged.
    /// </summary>
    public bool Quiet { get; init; }
}
