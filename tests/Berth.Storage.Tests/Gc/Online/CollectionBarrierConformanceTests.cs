using Berth.Core;
using Berth.Storage.Gc.Online;

namespace Berth.Storage.Tests.Gc.Online;

/// <summary>
/// The rules of <see cref="ICollectionBarrier"/> every implementation keeps: protection and condemnation exclude each
/// other whichever comes first, protection lasts the ticket's cycle and the next, and a new cycle waits for the
/// tickets taken before it.
/// </summary>
public abstract class CollectionBarrierConformanceTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract ICollectionBarrier NewBarrier();

    [Fact]
    public async Task TryCondemn_AfterProtectInSameCycle_Refused()
    {
        var barrier = NewBarrier();
        var cycle = await barrier.StartCycleAsync(Ct);
        var digest = NewDigest();
        await using (var ticket = await barrier.BeginWriteAsync(Ct))
        {
            Assert.Empty(await ticket.ProtectAsync([digest], Ct));
        }

        Assert.False(await barrier.TryCondemnAsync(digest, cycle, Ct));
        Assert.True(await barrier.TryCondemnAsync(NewDigest(), cycle, Ct));
    }

    [Fact]
    public async Task Protect_AfterCondemn_ReportsCondemnedAndWaitsForRelease()
    {
        var barrier = NewBarrier();
        var cycle = await barrier.StartCycleAsync(Ct);
        var (condemned, other) = (NewDigest(), NewDigest());
        Assert.True(await barrier.TryCondemnAsync(condemned, cycle, Ct));

        await using var ticket = await barrier.BeginWriteAsync(Ct);
        Assert.Equal([condemned], await ticket.ProtectAsync([condemned, other], Ct));
        var released = ticket.WaitUntilReleasedAsync(condemned, Ct).AsTask();
        await Task.Delay(50, Ct);
        Assert.False(released.IsCompleted, "released before the collector said so");

        await barrier.ReleaseAsync(condemned, Ct);
        await released.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        // Once released, the digest is the ticket's: this cycle may no longer condemn it.
        Assert.False(await barrier.TryCondemnAsync(condemned, cycle, Ct));
    }

    [Fact]
    public async Task Protection_LastsTheTicketsCycleAndTheNext()
    {
        var barrier = NewBarrier();
        var first = await barrier.StartCycleAsync(Ct);
        var digest = NewDigest();
        await using (var ticket = await barrier.BeginWriteAsync(Ct))
        {
            Assert.Equal(first, ticket.Cycle);
            await ticket.ProtectAsync([digest], Ct);
        }

        await barrier.EndCycleAsync(first, Ct);
        var second = await barrier.StartCycleAsync(Ct);
        Assert.False(await barrier.TryCondemnAsync(digest, second, Ct));
        await barrier.EndCycleAsync(second, Ct);

        var third = await barrier.StartCycleAsync(Ct);
        Assert.True(await barrier.TryCondemnAsync(digest, third, Ct));
    }

    [Fact]
    public async Task WaitForEarlierWrites_WaitsForTicketsOfEarlierCyclesOnly()
    {
        var barrier = NewBarrier();
        var before = await barrier.BeginWriteAsync(Ct);
        var cycle = await barrier.StartCycleAsync(Ct);
        await using var during = await barrier.BeginWriteAsync(Ct);
        Assert.Equal(cycle, during.Cycle);

        var waiting = barrier.WaitForEarlierWritesAsync(cycle, Ct);
        await Task.Delay(50, Ct);
        Assert.False(waiting.IsCompleted, "did not wait for a ticket taken before the cycle began");

        await before.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Ticket_DisposedTwice_CountsOnce()
    {
        var barrier = NewBarrier();
        var first = await barrier.BeginWriteAsync(Ct);
        var second = await barrier.BeginWriteAsync(Ct);
        var cycle = await barrier.StartCycleAsync(Ct);

        await first.DisposeAsync();
        await first.DisposeAsync();
        var waiting = barrier.WaitForEarlierWritesAsync(cycle, Ct);
        await Task.Delay(50, Ct);
        Assert.False(waiting.IsCompleted, "the second ticket is still in flight");
        await second.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    private static Digest NewDigest() => Digest.Compute(Guid.NewGuid().ToByteArray());
}

public sealed class InProcessCollectionBarrierTests : CollectionBarrierConformanceTests
{
    protected override ICollectionBarrier NewBarrier() => new InProcessCollectionBarrier();
}
