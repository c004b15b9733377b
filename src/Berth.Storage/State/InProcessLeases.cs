namespace Berth.Storage.State;

/// <summary>Leases of one process: a name is held until released or until its duration runs out on the clock.</summary>
internal sealed class InProcessLeases(TimeProvider time) : ILeases
{
    private readonly Dictionary<string, Holder> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask<ILease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_held.TryGetValue(name, out var holder) && holder.Expires > now)
            {
                return ValueTask.FromResult<ILease?>(null);
            }

            var lease = new Lease(this, name, duration);
            _held[name] = new Holder(lease, now + duration);
            return ValueTask.FromResult<ILease?>(lease);
        }
    }

    private bool Renew(Lease lease)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_held.TryGetValue(lease.Name, out var holder) || holder.Lease != lease || holder.Expires <= now)
            {
                return false;
            }

            _held[lease.Name] = holder with { Expires = now + lease.Duration };
            return true;
        }
    }

    private void Release(Lease lease)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(lease.Name, out var holder) && holder.Lease == lease)
            {
                _held.Remove(lease.Name);
            }
        }
    }

    private sealed record Holder(Lease Lease, DateTimeOffset Expires);

    private sealed class Lease(InProcessLeases owner, string name, TimeSpan duration) : ILease
    {
        public string Name { get; } = name;

        public TimeSpan Duration { get; } = duration;

        public ValueTask<bool> RenewAsync(CancellationToken cancellationToken) => ValueTask.FromResult(owner.Renew(this));

        public ValueTask DisposeAsync()
        {
            owner.Release(this);
            return ValueTask.CompletedTask;
        }
    }
}
