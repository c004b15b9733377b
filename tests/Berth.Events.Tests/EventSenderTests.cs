using System.Net;
using System.Text;
using Berth.Storage.Drivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Events.Tests;

public sealed class EventSenderTests
{
    [Fact]
    public async Task RunAsync_EndpointFailsPastThreshold_RetriesAfterBackoffAndKeepsOrder()
    {
        var time = new ManualTimeProvider();
        var handler = new ScriptedHandler(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable);
        using var outbox = await OutboxWithAsync("{\"n\":1}", "{\"n\":2}");
        var endpoint = Endpoint(threshold: 2, backoff: TimeSpan.FromSeconds(5));
        using var http = new HttpMessageInvoker(handler);
        using var stop = new CancellationTokenSource();
        var sender = new EventSender(outbox, endpoint, http, time, NullLogger.Instance);
        var running = sender.RunAsync(stop.Token);

        // Two failures in a row reach the threshold: the third attempt waits for the backoff, on the clock.
        await Poll.UntilAsync(() => handler.Received.Count == 2 && time.PendingTimers == 1, "two attempts, then a backoff");
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(2, handler.Received.Count);
        time.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => handler.Received.Count == 3 && time.PendingTimers == 1, "third attempt, then a backoff");
        time.Advance(TimeSpan.FromSeconds(5));

        // The fourth attempt is taken; the failures reset, so the next event goes at once.
        await Poll.UntilAsync(() => handler.Received.Count == 5 && outbox.Count == 0, "both events delivered");
        Assert.Equal(0, sender.Failures);
        var bodies = handler.Received.Select(r => r.Body).ToList();
        Assert.All(bodies.Take(4), body => Assert.Equal("{\"events\":[{\"n\":1}]}", body));
        Assert.Equal("{\"events\":[{\"n\":2}]}", bodies[4]);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task TrySendAsync_Accepted_PostsEnvelopeWithMediaTypeAndHeaders()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Found);
        using var outbox = await OutboxWithAsync("{\"id\":\"x\"}");
        var endpoint = Endpoint(threshold: 1, backoff: TimeSpan.FromSeconds(1)) with
        {
            MediaType = EndpointSettings.MediaTypeV1,
            Headers = new Dictionary<string, IReadOnlyList<string>> { ["Authorization"] = ["Bearer s3cret"] },
        };
        using var http = new HttpMessageInvoker(handler);
        var sender = new EventSender(outbox, endpoint, http, new ManualTimeProvider(), NullLogger.Instance);

        var entry = await outbox.PeekAsync(TestContext.Current.CancellationToken);
        Assert.True(await sender.TrySendAsync(entry, TestContext.Current.CancellationToken));

        var (contentType, body, request) = Assert.Single(handler.Received);
        Assert.Equal(EndpointSettings.MediaTypeV1, contentType);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("Bearer s3cret", request.Headers.Authorization?.ToString());
        Assert.Equal("{\"events\":[{\"id\":\"x\"}]}", body);
    }

    [Fact]
    public async Task TrySendAsync_CloudEventsFormat_PostsOneStructuredCloudEvent()
    {
        var handler = new ScriptedHandler();
        const string stored = """{"id":"e1","timestamp":"2026-01-01T00:00:00Z","action":"push","target":{"repository":"team/app"},"source":{"addr":"node:5000"}}""";
        using var outbox = await OutboxWithAsync(stored);
        using var http = new HttpMessageInvoker(handler);
        var endpoint = Endpoint(1, TimeSpan.FromSeconds(1)) with { Format = EventFormat.CloudEvents };
        var sender = new EventSender(outbox, endpoint, http, new ManualTimeProvider(), NullLogger.Instance);

        Assert.True(await sender.TrySendAsync(await outbox.PeekAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken));

        var (contentType, body, _) = Assert.Single(handler.Received);
        Assert.Equal("application/cloudevents+json", contentType);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("e1", root.GetProperty("id").GetString());
        Assert.Equal("/berth/node:5000", root.GetProperty("source").GetString());
        Assert.Equal("io.github.berth.registry.push", root.GetProperty("type").GetString());
        Assert.Equal("team/app", root.GetProperty("subject").GetString());
        Assert.Equal("2026-01-01T00:00:00Z", root.GetProperty("time").GetString());
        Assert.Equal("push", root.GetProperty("data").GetProperty("action").GetString());
    }

    [Fact]
    public async Task TrySendAsync_ClientError_IsAFailure()
    {
        var handler = new ScriptedHandler(HttpStatusCode.BadRequest);
        using var outbox = await OutboxWithAsync("{}");
        using var http = new HttpMessageInvoker(handler);
        var sender = new EventSender(outbox, Endpoint(1, TimeSpan.FromSeconds(1)), http, new ManualTimeProvider(), NullLogger.Instance);

        var entry = await outbox.PeekAsync(TestContext.Current.CancellationToken);
        Assert.False(await sender.TrySendAsync(entry, TestContext.Current.CancellationToken));
        Assert.Equal(1, outbox.Count);
    }

    [Fact]
    public async Task RunAsync_OutboxDeleteFails_RetriesAfterBackoffWithoutStopping()
    {
        var time = new ManualTimeProvider();
        var handler = new ScriptedHandler();
        using var outbox = new EventOutbox(new HookedDriver(deleteFailures: 1), StoragePath.Parse(".berth-events/hook"), 100);
        await outbox.InitializeAsync(TestContext.Current.CancellationToken);
        await outbox.AppendAsync("{\"n\":1}"u8.ToArray(), TestContext.Current.CancellationToken);
        using var http = new HttpMessageInvoker(handler);
        using var stop = new CancellationTokenSource();
        var running = new EventSender(outbox, Endpoint(10, TimeSpan.FromSeconds(3)), http, time, NullLogger.Instance).RunAsync(stop.Token);

        await Poll.UntilAsync(() => handler.Received.Count == 1 && time.PendingTimers == 1, "a delivery, a failed delete, then a pause");
        Assert.False(running.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));

        // Delivered again (at-least-once), and this time forgotten.
        await Poll.UntilAsync(() => outbox.Count == 0, "the event removed");
        Assert.Equal(2, handler.Received.Count);
        await stop.CancelAsync();
        await running;
    }

    private static EndpointSettings Endpoint(int threshold, TimeSpan backoff) => new()
    {
        Name = "hook",
        Url = new Uri("http://receiver.invalid/events"),
        Threshold = threshold,
        Backoff = backoff,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static async Task<EventOutbox> OutboxWithAsync(params string[] events)
    {
        var outbox = new EventOutbox(new InMemoryDriver(), StoragePath.Parse(".berth-events/hook"), 100);
        await outbox.InitializeAsync(CancellationToken.None);
        foreach (var text in events)
        {
            await outbox.AppendAsync(Encoding.UTF8.GetBytes(text), CancellationToken.None);
        }

        return outbox;
    }
}
