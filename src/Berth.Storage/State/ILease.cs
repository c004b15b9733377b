namespace Berth.Storage.State;

/// <summary>A lease held; disposing releases it (only if still held by this holder).</summary>
public interface ILease : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Extends the lease by its duration; false when it was lost (expired and taken, or released).</summary>
    ValueTask<bool> RenewAsync(CancellationToken cancellationToken);
}
