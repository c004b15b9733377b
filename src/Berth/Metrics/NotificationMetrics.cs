using System.Diagnostics.Metrics;
using Berth.Events;

namespace Berth.Metrics;

/// <summary>
/// registry:2's notification metrics (notifications/metrics.go), with its names, help texts, labels and label values,
/// plus Berth's count of events dropped at the queue bound, which registry's unbounded queue never drops. Made only with
/// metrics on and an endpoint enabled: it is the <see cref="INotificationObserver"/> <see cref="Notifications"/> is
/// created with. The pending gauge is read from the queues at scrape time, not kept up to date per event.
/// </summary>
internal sealed class NotificationMetrics : INotificationObserver
{
    // registry's eventsCounter "type" values: an event entering the queue, and each attempt's outcome.
    private const string Events = "Events";
    private const string Successes = "Successes";
    private const string Failures = "Failures";
    private const string Errors = "Errors";

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Counter<long> _statuses;
    private readonly Counter<long> _dropped;

    public NotificationMetrics(Meter meter)
    {
        _meter = meter;
        _events = meter.CreateCounter<long>("registry_notifications_events_total", description: "The number of total events");
        _statuses = meter.CreateCounter<long>("registry_notifications_status_total", description: "The number of status code");
        _dropped = meter.CreateCounter<long>("berth_notifications_dropped_total",
            description: "Events not queued for the endpoint because its queue held maxqueue events.");
    }

    /// <summary>Reports the depth of every endpoint's queue as <c>registry_notifications_pending_total{endpoint}</c>.</summary>
    public void Watch(Notifications notifications) =>
        _meter.CreateObservableGauge("registry_notifications_pending_total",
            () => notifications.Queued.Select(queue => new Measurement<long>(queue.Value, Endpoint(queue.Key))),
            description: "The gauge of pending events in queue");

    public void Queued(string endpoint) => Count(Events, endpoint);

    public void Dropped(string endpoint) => _dropped.Add(1, Endpoint(endpoint));

    /// <summary>As registry: a status series per answer, and the event counted a success or a failure by it.</summary>
    public void Answered(string endpoint, int status, bool accepted)
    {
        _statuses.Add(1, new KeyValuePair<string, object?>("code", GoStatusText.Label(status)), Endpoint(endpoint));
        Count(accepted ? Successes : Failures, endpoint);
    }

    public void Unanswered(string endpoint) => Count(Errors, endpoint);

    private void Count(string type, string endpoint) => _events.Add(1, new KeyValuePair<string, object?>("type", type), Endpoint(endpoint));

    private static KeyValuePair<string, object?> Endpoint(string name) => new("endpoint", name);
}
