using System.Net;
using System.Security.Cryptography;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Events.Tests;

/// <summary>What the observer (metrics, in berth) is told: each event queued or dropped, each delivery attempt's outcome.</summary>
public sealed class NotificationObserverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Decorate_QueueBoundReached_QueuedUntilFullThenDroppedPerEndpoint()
    {
        var driver = new InMemoryDriver();
        using var store = new RegistryStore(driver, new StoreOptions());
        var observer = new RecordingObserver();
        using var notifications = Notifications.Create(new NotificationSettings
        {
            Endpoints =
            [
                new EndpointSettings { Name = "small", Url = new Uri("http://x/"), MaxQueue = 2 },
                new EndpointSettings { Name = "large", Url = new Uri("http://y/") },
            ],
        }, driver, "node:5000", NullLoggerFactory.Instance, TimeProvider.System, observer: observer);
        await notifications.InitializeAsync(Ct);
        var repository = notifications.Decorate(store).Repository(RepositoryName.Parse("team/app"));

        for (var i = 0; i < 3; i++)
        {
            var blob = RandomNumberGenerator.GetBytes(16);
            var upload = await repository.Uploads.StartAsync(Ct);
            await repository.Uploads.CompleteAsync(upload.Id, Digest.Compute(blob), new MemoryStream(blob), null, Ct);
        }

        Assert.Equal(["queued small", "queued large", "queued small", "queued large", "dropped small", "queued large"], observer.Calls);
        Assert.Equal(1, notifications.Dropped["small"]);
    }

    [Fact]
    public async Task RunAsync_RefusedThenAccepted_EachAnswerToldWithItsStatus()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.NotFound);
        using var outbox = await OutboxWithAsync(2);
        using var http = new HttpMessageInvoker(handler);
        var observer = new RecordingObserver();
        using var stop = new CancellationTokenSource();
        var running = new EventSender(outbox, Endpoint(), http, new ManualTimeProvider(), NullLogger.Instance, observer).RunAsync(stop.Token);

        await Poll.UntilAsync(() => outbox.Count == 0 && observer.Calls.Count == 4, "both events delivered");

        Assert.Equal(["answered hook 503 refused", "answered hook 404 refused", "answered hook 200 accepted", "answered hook 200 accepted"],
            observer.Calls);
        await stop.CancelAsync();
        await running;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrySendAsync_NoAnswer_ToldUnansweredNotAnswered(bool timesOut)
    {
        using var outbox = await OutboxWithAsync(1);
        using var http = new HttpMessageInvoker(new NoAnswerHandler(timesOut));
        var observer = new RecordingObserver();
        var endpoint = Endpoint() with { Timeout = TimeSpan.FromMilliseconds(50) };
        var sender = new EventSender(outbox, endpoint, http, new ManualTimeProvider(), NullLogger.Instance, observer);

        Assert.False(await sender.TrySendAsync(await outbox.PeekAsync(Ct), Ct));

        Assert.Equal(["unanswered hook"], observer.Calls);
    }

    private static EndpointSettings Endpoint() => new()
    {
        Name = "hook",
        Url = new Uri("http://receiver.invalid/events"),
        Threshold = 10,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static async Task<EventOutbox> OutboxWithAsync(int events)
    {
        var outbox = new EventOutbox(new InMemoryDriver(), StoragePath.Parse(".berth-events/hook"), 100);
        await outbox.InitializeAsync(Ct);
        for (var i = 0; i < events; i++)
        {
            await outbox.AppendAsync("{}"u8.ToArray(), Ct);
        }

        return outbox;
    }

    /// <summary>An endpoint that is not there (connection refused), or that never answers until the sender gives up.</summary>
    private sealed class NoAnswerHandler(bool timesOut) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!timesOut)
            {
                throw new HttpRequestException("Connection refused");
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
