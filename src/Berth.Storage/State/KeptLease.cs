using Berth.Core.Errors;

namespace Berth.Storage.State;

/// <summary>
/// A lease renewed every third of its duration while its holder works (a long PATCH, a catalog walk), so it lasts as
/// long as the work and, if the node dies, at most one duration more. A renewal Redis cannot answer is tried again
/// at the next tick; if the shared state stays away longer than the duration the lease may lapse (documented).
/// </summary>
public sealed class KeptLease : IAsyncDisposable
{
    private readonly ILease _lease;
    private readonly ITimer _timer;

    public KeptLease(ILease lease, TimeSpan duration)
    {
        _lease = lease;
        _timer = TimeProvider.System.CreateTimer(_ => _ = RenewAsync(), null, duration / 3, duration / 3);
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        await _lease.DisposeAsync();
    }

    private async Task RenewAsync()
    {
        try
        {
            await _lease.RenewAsync(CancellationToken.None);
        }
        catch (ServiceUnavailableException)
        {
            // Tried again at the next tick.
        }
    }
}
