using Berth.Storage.Gc.Online;

namespace Berth.Storage.Tests.Gc.Online;

public sealed class InProcessCollectionProtocolModelTests : CollectionProtocolModelTests
{
    protected override Task<(IReadOnlyList<ICollectionBarrier> Clients, ICollectionBarrier Collector)> NodesAsync(int clients)
    {
        // One node: every client and the collector share the one barrier.
        var barrier = new InProcessCollectionBarrier();
        return Task.FromResult<(IReadOnlyList<ICollectionBarrier>, ICollectionBarrier)>(([.. Enumerable.Repeat(barrier, clients)], barrier));
    }
}
