using System.Diagnostics;
using System.Net;
using Berth.Auth.Tests.Support;
using Berth.Core.Errors;
using Berth.Events;
using Berth.Storage.Drivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>
/// Redis going away under the shared event queue: an append fails at once with the failure requests answer 503 for,
/// and the sender loop logs, pauses and delivers again once Redis is back, without a restart.
/// </summary>
public sealed partial class RedisFailureTests
{
    [Fact]
    public async Task AppendEvent_RedisStopped_ServiceUnavailableAtOnce()
    {
        using var outbox = RedisState.EventOutboxes(_connection!, NullLogger.Instance)("hook", 100);
        await outbox.InitializeAsync(Ct);

        await _server!.StopAsync();
        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<ServiceUnavailableException>(() => outbox.AppendAsync("{}"u8.ToArray(), Ct));

        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        Assert.Equal("redis", failure.Service);
    }

    [Fact]
    public async Task DeliverEvents_RedisStoppedAndBack_SenderLogsAndDeliversAgain()
    {
        var endpoint = new EndpointSettings { Name = "hook", Url = new Uri("http://hook.test/events"), Backoff = TimeSpan.FromMilliseconds(100) };
        var outboxes = RedisState.EventOutboxes(_connection!, NullLogger.Instance);
        using var loggers = new TestLoggerFactory();
        using var endpointServer = new BodiesHandler();
        using var notifications = Notifications.Create(new NotificationSettings { Endpoints = [endpoint] }, new InMemoryDriver(), "node:5000", loggers,
            TimeProvider.System, new HttpMessageInvoker(endpointServer), outboxes: outboxes);
        await notifications.InitializeAsync(Ct);
        // Another node's view of the same queue, appending as requests there would.
        using var otherNode = outboxes("hook", 100);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = notifications.RunAsync(stop.Token);

        await otherNode.AppendAsync("""{"id":"before"}"""u8.ToArray(), Ct);
        await WaitUntilAsync(() => Task.FromResult(endpointServer.Got("before")), "the first event delivered");
        await _server!.StopAsync();
        await WaitUntilAsync(() => Task.FromResult(loggers.AllText.Contains("could not be read or cleared", StringComparison.Ordinal)), "the failure logged");
        await _server.StartAgainAsync(Ct);
        await WaitUntilAsync(() => AppendedAsync(otherNode, """{"id":"after"}"""u8.ToArray()));

        await WaitUntilAsync(() => Task.FromResult(endpointServer.Got("after")), "the event after the outage delivered");
        Assert.False(running.IsCompleted);
        await stop.CancelAsync();
        await running;
    }

    /// <summary>Appends once Redis answers again; false while it does not.</summary>
    private static async Task<bool> AppendedAsync(IEventOutbox outbox, byte[] storedEvent)
    {
        try
        {
            return await outbox.AppendAsync(storedEvent, Ct);
        }
        catch (ServiceUnavailableException)
        {
            return false;
        }
    }

    /// <summary>An endpoint in memory that takes every POST and keeps its body.</summary>
    private sealed class BodiesHandler : HttpMessageHandler
    {
        private readonly List<string> _bodies = [];

        public bool Got(string text)
        {
            lock (_bodies)
            {
                return _bodies.Any(body => body.Contains(text, StringComparison.Ordinal));
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            lock (_bodies)
            {
                _bodies.Add(body);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
