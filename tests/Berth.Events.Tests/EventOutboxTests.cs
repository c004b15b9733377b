using System.Text;
using Berth.Storage.Drivers;

namespace Berth.Events.Tests;

public sealed class EventOutboxTests
{
    private static readonly StoragePath Folder = StoragePath.Parse(".berth-events/hook");

    [Fact]
    public async Task PeekAsync_SeveralAppended_ReturnsThemInAppendOrder()
    {
        using var outbox = new EventOutbox(new InMemoryDriver(), Folder, capacity: 100);
        await outbox.InitializeAsync(TestContext.Current.CancellationToken);
        for (var i = 1; i <= 12; i++)
        {
            Assert.True(await outbox.AppendAsync(Bytes($"e{i}"), TestContext.Current.CancellationToken));
        }

        var seen = new List<string>();
        while (outbox.Count > 0)
        {
            var entry = await outbox.PeekAsync(TestContext.Current.CancellationToken);
            seen.Add(Encoding.UTF8.GetString(entry.Content));
            await outbox.RemoveAsync(entry, TestContext.Current.CancellationToken);
        }

        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"e{i}"), seen);
    }

    [Fact]
    public async Task InitializeAsync_NewOutboxOverSameStorage_ContinuesQueueInOrder()
    {
        var driver = new InMemoryDriver();
        using (var first = new EventOutbox(driver, Folder, capacity: 100))
        {
            await first.InitializeAsync(TestContext.Current.CancellationToken);
            foreach (var name in (string[])["a", "b", "c"])
            {
                await first.AppendAsync(Bytes(name), TestContext.Current.CancellationToken);
            }

            await first.RemoveAsync(await first.PeekAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        }

        using var second = new EventOutbox(driver, Folder, capacity: 100);
        await second.InitializeAsync(TestContext.Current.CancellationToken);
        await second.AppendAsync(Bytes("d"), TestContext.Current.CancellationToken);

        Assert.Equal(3, second.Count);
        var seen = new List<string>();
        while (second.Count > 0)
        {
            var entry = await second.PeekAsync(TestContext.Current.CancellationToken);
            seen.Add(Encoding.UTF8.GetString(entry.Content));
            await second.RemoveAsync(entry, TestContext.Current.CancellationToken);
        }

        Assert.Equal(["b", "c", "d"], seen);
    }

    [Fact]
    public async Task AppendAsync_QueueFull_DropsNewEventAndCountsIt()
    {
        using var outbox = new EventOutbox(new InMemoryDriver(), Folder, capacity: 2);
        await outbox.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.True(await outbox.AppendAsync(Bytes("1"), TestContext.Current.CancellationToken));
        Assert.True(await outbox.AppendAsync(Bytes("2"), TestContext.Current.CancellationToken));
        Assert.False(await outbox.AppendAsync(Bytes("3"), TestContext.Current.CancellationToken));
        Assert.False(await outbox.AppendAsync(Bytes("4"), TestContext.Current.CancellationToken));

        Assert.Equal(2, outbox.Count);
        Assert.Equal(2, outbox.Dropped);
        var head = await outbox.PeekAsync(TestContext.Current.CancellationToken);
        Assert.Equal("1", Encoding.UTF8.GetString(head.Content));
        await outbox.RemoveAsync(head, TestContext.Current.CancellationToken);
        Assert.True(await outbox.AppendAsync(Bytes("5"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PeekAsync_EmptyThenAppended_WakesWithTheEvent()
    {
        using var outbox = new EventOutbox(new InMemoryDriver(), Folder, capacity: 10);
        await outbox.InitializeAsync(TestContext.Current.CancellationToken);

        var waiting = outbox.PeekAsync(TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        await outbox.AppendAsync(Bytes("late"), TestContext.Current.CancellationToken);

        var entry = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("late", Encoding.UTF8.GetString(entry.Content));
    }

    [Fact]
    public async Task PeekAsync_OlderAppendStillWriting_WaitsForItToKeepOrder()
    {
        var slowFirst = new TaskCompletionSource();
        var driver = new HookedDriver { BeforeWrite = (n, _) => n == 1 ? slowFirst.Task : Task.CompletedTask };
        using var outbox = new EventOutbox(driver, Folder, capacity: 10);
        await outbox.InitializeAsync(TestContext.Current.CancellationToken);

        var first = outbox.AppendAsync(Bytes("first"), TestContext.Current.CancellationToken);
        await outbox.AppendAsync(Bytes("second"), TestContext.Current.CancellationToken);
        var head = outbox.PeekAsync(TestContext.Current.CancellationToken);
        Assert.False(head.IsCompleted);

        slowFirst.SetResult();
        await first;
        var entry = await head.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("first", Encoding.UTF8.GetString(entry.Content));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
