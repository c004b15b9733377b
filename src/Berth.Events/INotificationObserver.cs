namespace Berth.Events;

/// <summary>
/// What happens to events on their way to each endpoint, told as it happens: the seam metrics attach to, so that this
/// project knows nothing of them. The host passes one to <see cref="Notifications.Create"/> only when metrics are on;
/// without it every call site is a null check. Called on the request path (<see cref="Queued"/>, <see cref="Dropped"/>)
/// and on each endpoint's sender loop, so an implementation must be cheap, thread-safe and must not throw.
/// </summary>
/// <remarks>One call per event per attempt, as registry's listeners are called: a retried event is answered again.</remarks>
public interface INotificationObserver
{
    /// <summary>An event entered the endpoint's queue (registry's <c>ingress</c>).</summary>
    void Queued(string endpoint);

    /// <summary>An event was not queued: the endpoint's queue held <see cref="EndpointSettings.MaxQueue"/> events.</summary>
    void Dropped(string endpoint);

    /// <summary>The endpoint answered a delivery attempt with <paramref name="status"/>; any 2xx or 3xx is <paramref name="accepted"/>.</summary>
    void Answered(string endpoint, int status, bool accepted);

    /// <summary>A delivery attempt got no answer: the connection failed or the endpoint's timeout passed.</summary>
    void Unanswered(string endpoint);
}
