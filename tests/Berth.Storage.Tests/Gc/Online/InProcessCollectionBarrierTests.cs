using Berth.Storage.Gc.Online;

namespace Berth.Storage.Tests.Gc.Online;

public sealed class InProcessCollectionBarrierTests : CollectionBarrierConformanceTests
{
    protected override Task<ICollectionBarrier> NewBarrierAsync() => Task.FromResult<ICollectionBarrier>(new InProcessCollectionBarrier());
}
