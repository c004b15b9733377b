using Berth.Core;

namespace Berth.Storage.Gc.Online;

/// <summary>
/// This process's part of <see cref="ICollectionBarrier"/> that every implementation keeps the same way: the cycle
/// it knows, and its tickets in flight counted by the cycle they carry. A ticket takes the current cycle and is
/// counted in one step, so no cycle can start between the two unseen.
/// </summary>
public sealed class TicketsInFlight
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _counts = [];
    private TaskCompletionSource _ended = NewSignal();
    private long _cycle;

    /// <summary>The latest cycle this process knows of.</summary>
    public long Cycle
    {
        get
        {
            lock (_lock)
            {
                return _cycle;
            }
        }
    }

    /// <summary>The oldest cycle a ticket in flight carries, else the current cycle: what a collection may wait for.</summary>
    public long LowWaterMark
    {
        get
        {
            lock (_lock)
            {
                return _counts.Count == 0 ? _cycle : Math.Min(_cycle, _counts.Keys.Min());
            }
        }
    }

    /// <summary>A ticket for the current cycle, counted until <see cref="CountedTicket"/> is disposed.</summary>
    /// <param name="create">Makes the ticket from this counter and the cycle.</param>
    public IWriteTicket Begin(Func<TicketsInFlight, long, IWriteTicket> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_lock)
        {
            _counts[_cycle] = _counts.GetValueOrDefault(_cycle) + 1;
            return create(this, _cycle);
        }
    }

    /// <summary>Moves to <paramref name="cycle"/> unless a later one is known already; returns the cycle now current.</summary>
    public long Advance(long cycle)
    {
        lock (_lock)
        {
            _cycle = Math.Max(_cycle, cycle);
            return _cycle;
        }
    }

    /// <summary>Waits until no ticket of a cycle before <paramref name="cycle"/> is in flight.</summary>
    public async Task WaitForNoneBeforeAsync(long cycle, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task ended;
            lock (_lock)
            {
                if (!_counts.Keys.Any(ticketCycle => ticketCycle < cycle))
                {
                    return;
                }

                ended = _ended.Task;
            }

            await ended.WaitAsync(cancellationToken);
        }
    }

    internal void End(long cycle)
    {
        TaskCompletionSource ended;
        lock (_lock)
        {
            var left = _counts[cycle] - 1;
            if (left > 0)
            {
                _counts[cycle] = left;
                return;
            }

            _counts.Remove(cycle);
            ended = _ended;
            _ended = NewSignal();
        }

        ended.SetResult();
    }

    // Continuations run outside the lock and outside the thread that signals.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A ticket counted in a <see cref="TicketsInFlight"/> until it is disposed, once however often that happens.</summary>
public abstract class CountedTicket(TicketsInFlight tickets, long cycle) : IWriteTicket
{
    private int _ended;

    public long Cycle => cycle;

    public abstract ValueTask<IReadOnlySet<Digest>> ProtectAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    public abstract ValueTask<bool> TryProtectAsync(Digest digest, CancellationToken cancellationToken);

    public abstract ValueTask WaitUntilReleasedAsync(Digest digest, CancellationToken cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            tickets.End(cycle);
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
