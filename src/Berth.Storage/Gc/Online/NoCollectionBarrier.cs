using Berth.Core;

namespace Berth.Storage.Gc.Online;

/// <summary>
/// The barrier when online collection is off (the default): requests take a shared ticket that records nothing, so
/// the request path costs what it cost before online collection existed. No collector may run against it.
/// </summary>
public sealed class NoCollectionBarrier : ICollectionBarrier
{
    public static readonly NoCollectionBarrier Instance = new();

    private static readonly IWriteTicket SharedTicket = new Ticket();

    private NoCollectionBarrier()
    {
    }

    public ValueTask<IWriteTicket> BeginWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(SharedTicket);

    public ValueTask<long> StartCycleAsync(CancellationToken cancellationToken) => throw Off();

    public Task WaitForEarlierWritesAsync(long cycle, CancellationToken cancellationToken) => throw Off();

    public ValueTask<bool> TryCondemnAsync(Digest digest, long cycle, CancellationToken cancellationToken) => throw Off();

    public ValueTask ReleaseAsync(Digest digest, CancellationToken cancellationToken) => throw Off();

    public ValueTask EndCycleAsync(long cycle, CancellationToken cancellationToken) => throw Off();

    private static InvalidOperationException Off() => new("online garbage collection is off: no collector runs against this barrier");

    private sealed class Ticket : IWriteTicket
    {
        private static readonly HashSet<Digest> None = [];

        public long Cycle => 0;

        public ValueTask<IReadOnlySet<Digest>> ProtectAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlySet<Digest>>(None);

        public ValueTask<bool> TryProtectAsync(Digest digest, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask WaitUntilReleasedAsync(Digest digest, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
