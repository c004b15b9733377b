namespace Berth.Storage.State;

/// <summary>
/// Named leases: at most one holder at a time, and a holder that dies loses its lease when the duration runs out,
/// so nothing waits forever on a node that is gone. Used for the catalog rebuild; online garbage collection (issue 10)
/// takes its sweep lease here.
/// </summary>
public interface ILeases
{
    /// <summary>Takes the lease unless someone holds it; null when someone does. Never waits.</summary>
    ValueTask<ILease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken);
}

/// <summary>A lease held; disposing releases it (only if still held by this holder).</summary>
public interface ILease : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Extends the lease by its duration; false when it was lost (expired and taken, or released).</summary>
    ValueTask<bool> RenewAsync(CancellationToken cancellationToken);
}
