using Berth.Core;

namespace Berth.Storage.Gc.Online;

/// <summary>
/// <see cref="ICollectionBarrier"/> for one node: every step is taken under one lock, which makes protection and
/// condemnation of a digest atomic with respect to each other, as the protocol needs. Costs a lock and a set
/// insertion per request that takes a ticket; used only when online collection is on.
/// </summary>
public sealed class InProcessCollectionBarrier : ICollectionBarrier
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _inFlight = [];
    private readonly Dictionary<long, HashSet<Digest>> _protected = [];
    private readonly Dictionary<Digest, TaskCompletionSource> _condemned = [];
    private TaskCompletionSource _writesEnded = NewSignal();
    private long _cycle;

    public ValueTask<IWriteTicket> BeginWriteAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _inFlight[_cycle] = _inFlight.GetValueOrDefault(_cycle) + 1;
            return ValueTask.FromResult<IWriteTicket>(new Ticket(this, _cycle));
        }
    }

    public ValueTask<long> StartCycleAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(++_cycle);
        }
    }

    public async Task WaitForEarlierWritesAsync(long cycle, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task ended;
            lock (_lock)
            {
                if (!_inFlight.Keys.Any(ticketCycle => ticketCycle < cycle))
                {
                    return;
                }

                ended = _writesEnded.Task;
            }

            await ended.WaitAsync(cancellationToken);
        }
    }

    public ValueTask<bool> TryCondemnAsync(Digest digest, long cycle, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (IsProtected(digest, cycle) || IsProtected(digest, cycle - 1))
            {
                return ValueTask.FromResult(false);
            }

            _condemned.TryAdd(digest, NewSignal());
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(Digest digest, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_condemned.Remove(digest, out var released))
            {
                released.SetResult();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask EndCycleAsync(long cycle, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var old in _protected.Keys.Where(protectedCycle => protectedCycle < cycle - 1).ToList())
            {
                _protected.Remove(old);
            }
        }

        return ValueTask.CompletedTask;
    }

    private bool IsProtected(Digest digest, long cycle) => _protected.TryGetValue(cycle, out var digests) && digests.Contains(digest);

    private HashSet<Digest> Protect(long cycle, IReadOnlyCollection<Digest> digests)
    {
        HashSet<Digest>? condemned = null;
        lock (_lock)
        {
            var protectedDigests = ProtectedIn(cycle);
            foreach (var digest in digests)
            {
                protectedDigests.Add(digest);
                if (_condemned.ContainsKey(digest))
                {
                    (condemned ??= []).Add(digest);
                }
            }
        }

        return condemned ?? EmptySet;
    }

    /// <returns>False when the digest is condemned.</returns>
    private bool TryProtect(long cycle, Digest digest)
    {
        lock (_lock)
        {
            ProtectedIn(cycle).Add(digest);
            return !_condemned.ContainsKey(digest);
        }
    }

    // Called under the lock.
    private HashSet<Digest> ProtectedIn(long cycle)
    {
        if (!_protected.TryGetValue(cycle, out var digests))
        {
            _protected[cycle] = digests = [];
        }

        return digests;
    }

    private Task ReleasedAsync(Digest digest)
    {
        lock (_lock)
        {
            return _condemned.TryGetValue(digest, out var signal) ? signal.Task : Task.CompletedTask;
        }
    }

    private void End(long cycle)
    {
        TaskCompletionSource ended;
        lock (_lock)
        {
            var left = _inFlight[cycle] - 1;
            if (left > 0)
            {
                _inFlight[cycle] = left;
                return;
            }

            _inFlight.Remove(cycle);
            ended = _writesEnded;
            _writesEnded = NewSignal();
        }

        ended.SetResult();
    }

    // Never changed: a shared empty answer saves an allocation per ticket.
    private static readonly HashSet<Digest> EmptySet = [];

    // Continuations run outside the lock and outside the thread that signals.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Ticket(InProcessCollectionBarrier barrier, long cycle) : IWriteTicket
    {
        private int _ended;

        public long Cycle => cycle;

        public ValueTask<IReadOnlySet<Digest>> ProtectAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlySet<Digest>>(barrier.Protect(cycle, digests));

        public ValueTask<bool> TryProtectAsync(Digest digest, CancellationToken cancellationToken) =>
            ValueTask.FromResult(barrier.TryProtect(cycle, digest));

        public async ValueTask WaitUntilReleasedAsync(Digest digest, CancellationToken cancellationToken) =>
            await barrier.ReleasedAsync(digest).WaitAsync(cancellationToken);

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                barrier.End(cycle);
            }

            return ValueTask.CompletedTask;
        }
    }
}
