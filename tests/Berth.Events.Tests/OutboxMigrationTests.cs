using System.Text;
using Berth.Storage.Drivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Events.Tests;

/// <summary>
/// A store outbox left by a single-node run when the queues move elsewhere (Redis): its events go into the new queue,
/// oldest first, and its files are deleted; what the new queue cannot take stays in the folder for the next start.
/// </summary>
public sealed class OutboxMigrationTests
{
    private static readonly StoragePath StoreFolder = StoragePath.Parse(".berth-events/hook");
    private static readonly NotificationSettings Settings = new() { Endpoints = [new EndpointSettings { Name = "hook", Url = new Uri("http://x/") }] };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_StoreOutboxLeftBehind_MovedIntoTheGivenQueueInOrder()
    {
        var driver = new InMemoryDriver();
        using var elsewhere = await StartWithQueueElsewhereAsync(driver, capacity: 100, "a", "b", "c");

        Assert.Equal(["a", "b", "c"], await DrainAsync(elsewhere));
        Assert.Empty(await driver.ListAsync(StoreFolder, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task Initialize_GivenQueueFillsUp_RestStaysInTheStoreFolder()
    {
        var driver = new InMemoryDriver();
        using var elsewhere = await StartWithQueueElsewhereAsync(driver, capacity: 2, "a", "b", "c");

        Assert.Equal(["a", "b"], await DrainAsync(elsewhere));
        using var left = new EventOutbox(driver, StoreFolder, capacity: 100);
        await left.InitializeAsync(Ct);
        Assert.Equal(["c"], await DrainAsync(left));
    }

    /// <summary>
    /// Leaves <paramref name="events"/> in the store outbox, as a single-node run would, then starts notifications
    /// whose queue is elsewhere (another folder, standing in for Redis) and returns that queue.
    /// </summary>
    private static async Task<EventOutbox> StartWithQueueElsewhereAsync(InMemoryDriver driver, int capacity, params string[] events)
    {
        using (var store = new EventOutbox(driver, StoreFolder, capacity: 100))
        {
            await store.InitializeAsync(Ct);
            foreach (var name in events)
            {
                await store.AppendAsync(Encoding.UTF8.GetBytes(name), Ct);
            }
        }

        var elsewhere = new EventOutbox(driver, StoragePath.Parse("elsewhere/hook"), capacity);
        // Not disposed here: that would dispose the queue, which the test still reads.
        var notifications = Notifications.Create(Settings, driver, "node:5000", NullLoggerFactory.Instance, TimeProvider.System,
            outboxes: (_, _) => elsewhere);
        await notifications.InitializeAsync(Ct);
        return elsewhere;
    }

    private static async Task<List<string>> DrainAsync(EventOutbox outbox)
    {
        var seen = new List<string>();
        while (outbox.Count > 0)
        {
            var entry = await outbox.PeekAsync(Ct);
            seen.Add(Encoding.UTF8.GetString(entry.Content));
            await outbox.RemoveAsync(entry, Ct);
        }

        return seen;
    }
}
