using System.Net.Http.Headers;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Events;

/// <summary>
/// Delivers one endpoint's outbox in order, one event a request as registry does: the oldest event is posted until the
/// endpoint takes it (any 2xx or 3xx), and only then is it removed and the next one sent. Failures retry at once up to
/// <see cref="EndpointSettings.Threshold"/> in a row, then every attempt waits <see cref="EndpointSettings.Backoff"/>
/// first (registry's breaker). It never gives up on an event: at-least-once, so a receiver may see one twice.
/// </summary>
/// <param name="observer">Told of every attempt's outcome, with metrics on; null otherwise.</param>
internal sealed partial class EventSender(IEventOutbox outbox, EndpointSettings endpoint, HttpMessageInvoker http, TimeProvider time, ILogger logger,
    INotificationObserver? observer = null)
{
    private readonly MediaTypeHeaderValue _contentType =
        new(endpoint.Format == EventFormat.CloudEvents ? CloudEventBody.MediaType : endpoint.MediaType);
    private int _failures;

    /// <summary>Failed attempts in a row since the last delivery.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                try
                {
                    await DeliverOldestAsync(stopping);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ServiceUnavailableException)
                {
                    // Storage (or Redis) failed under the queue: the event stays where it is; try again after a pause
                    // rather than leave the endpoint without events until the next start.
                    LogStorageFailed(logger, endpoint.Name, e.Message);
                    await Task.Delay(endpoint.Backoff, time, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Whatever was not delivered stays in the outbox for the next start.
        }
    }

    private async Task DeliverOldestAsync(CancellationToken stopping)
    {
        var entry = await outbox.PeekAsync(stopping);
        if (_failures >= endpoint.Threshold)
        {
            await Task.Delay(endpoint.Backoff, time, stopping);
        }

        if (await TrySendAsync(entry, stopping))
        {
            await outbox.RemoveAsync(entry, stopping);
            if (_failures >= endpoint.Threshold)
            {
                LogRecovered(logger, endpoint.Name, _failures);
            }

            Volatile.Write(ref _failures, 0);
        }
        else if (Interlocked.Increment(ref _failures) == endpoint.Threshold)
        {
            LogBackingOff(logger, endpoint.Name, _failures, endpoint.Backoff, outbox.Count);
        }
    }

    /// <returns>Whether the endpoint accepted the event.</returns>
    internal async Task<bool> TrySendAsync(QueuedEvent entry, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url);
        request.Content = new ByteArrayContent(endpoint.Format == EventFormat.CloudEvents
            ? CloudEventBody.Of(entry.Content)
            : EventJson.Envelope(entry.Content));
        request.Content.Headers.ContentType = _contentType;
        foreach (var (name, values) in endpoint.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(endpoint.Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            var accepted = status is >= 200 and < 400;
            observer?.Answered(endpoint.Name, status, accepted);
            if (accepted)
            {
                return true;
            }

            LogRefused(logger, endpoint.Name, entry.Position, status);
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !stopping.IsCancellationRequested)
        {
            observer?.Unanswered(endpoint.Name);
            LogUnreachable(logger, endpoint.Name, entry.Position, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "notifications: endpoint {Endpoint} answered {Status} to event {Position}; it stays queued")]
    private static partial void LogRefused(ILogger logger, string endpoint, string position, int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "notifications: endpoint {Endpoint} not reached with event {Position}: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string endpoint, string position, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: endpoint {Endpoint} failed {Failures} times in a row; retrying every {Backoff} with {Queued} events queued")]
    private static partial void LogBackingOff(ILogger logger, string endpoint, int failures, TimeSpan backoff, int queued);

    [LoggerMessage(Level = LogLevel.Error, Message = "notifications: the queue of endpoint {Endpoint} could not be read or cleared: {Reason}; retrying")]
    private static partial void LogStorageFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "notifications: endpoint {Endpoint} takes events again after {Failures} failures")]
    private static partial void LogRecovered(ILogger logger, string endpoint, int failures);
}
