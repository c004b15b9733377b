namespace Berth.Events;

/// <summary>
/// What the HTTP layer knows of the request in flight, handed to the store decorator without it seeing HTTP.
/// </summary>
/// <param name="BaseUrl">Scheme, host and prefix the client used (or just the prefix with relative URLs), for target URLs.</param>
/// <param name="Actor">The authenticated user, read when an event is made: authorization runs after the request starts.</param>
public sealed record EventRequest(string Id, string Addr, string Host, string Method, string UserAgent, string BaseUrl, Func<string?> Actor);

/// <summary>The request the current async flow serves; set by the HTTP layer for each request, read by the decorator.</summary>
public sealed class EventRequestAccessor
{
    private readonly AsyncLocal<EventRequest?> _current = new();

    public EventRequest? Current
    {
        get => _current.Value;
        set => _current.Value = value;
    }
}
