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
    private readonly TicketsInFlight _tickets = new();
    private readonly Dictionary<long, HashSet<Digest>> _protected = [];
    private readonly Dictionary<Digest, TaskCompletionSource> _condemned = [];

    public ValueTask<IWriteTicket> BeginWriteAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tickets.Begin((tickets, cycle) => new Ticket(this, tickets, cycle)));

    // One collector at a time (the loop's lease): no two cycles start at once.
    public ValueTask<long> StartCycleAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_tickets.Advance(_tickets.Cycle + 1));

    public Task WaitForEarlierWritesAsync(long cycle, CancellationToken cancellationToken) => _tickets.WaitForNoneBeforeAsync(cycle, cancellationToken);

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

    // Never changed: a shared empty answer saves an allocation per ticket.
    private static readonly HashSet<Digest> EmptySet = [];

    // Continuations run outside the lock and outside the thread that signals.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Ticket(InProcessCollectionBarrier barrier, TicketsInFlight tickets, long cycle) : CountedTicket(tickets, cycle)
    {
        public override ValueTask<IReadOnlySet<Digest>> ProtectAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlySet<Digest>>(barrier.Protect(Cycle, digests));

        public override ValueTask<bool> TryProtectAsync(Digest digest, CancellationToken cancellationToken) =>
            ValueTask.FromResult(barrier.TryProtect(Cycle, digest));

        public override async ValueTask WaitUntilReleasedAsync(Digest digest, CancellationToken cancellationToken) =>
            await barrier.ReleasedAsync(digest).WaitAsync(cancellationToken);
    }
}
