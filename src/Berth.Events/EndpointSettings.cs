namespace Berth.Events;

/// <summary>One entry of <c>notifications.endpoints</c>, with registry's defaults.</summary>
public sealed record EndpointSettings
{
    /// <summary>registry:3's envelope media type; the body is the same as 2.x's, only the name changed.</summary>
    public const string MediaTypeV2 = "application/vnd.docker.distribution.events.v2+json";

    /// <summary>What registry:2 sends, and what some receivers (GitLab) insist on.</summary>
    public const string MediaTypeV1 = "application/vnd.docker.distribution.events.v1+json";

    public required string Name { get; init; }

    public required Uri Url { get; init; }

    public bool Disabled { get; init; }

    /// <summary>Added to every request to the endpoint (an Authorization header, typically).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>How long one delivery attempt may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failures in a row after which each further attempt waits <see cref="Backoff"/> (registry's breaker).</summary>
    public int Threshold { get; init; } = 10;

    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>ignoredmediatypes</c> and <c>ignore.mediatypes</c> together: events whose target has one are not sent.</summary>
    public IReadOnlySet<string> IgnoredMediaTypes { get; init; } = new HashSet<string>();

    /// <summary><c>ignore.actions</c>: push, pull, mount or delete.</summary>
    public IReadOnlySet<string> IgnoredActions { get; init; } = new HashSet<string>();

    /// <summary><c>mediatype</c> (Berth's key): the Content-Type the envelope is posted with.</summary>
    public string MediaType { get; init; } = MediaTypeV2;

    /// <summary>
    /// <c>format</c> (Berth's key): registry's envelope (<c>{"events":[...]}</c> as <see cref="MediaType"/>), or one
    /// CloudEvents 1.0 event a request as <c>application/cloudevents+json</c>.
    /// </summary>
    public EventFormat Format { get; init; } = EventFormat.Registry;

    /// <summary><c>maxqueue</c> (Berth's key): events kept for the endpoint before new ones are dropped (and counted).</summary>
    public int MaxQueue { get; init; } = 10_000;

    /// <summary>Whether this endpoint wants the event at all; ignored events are never queued.</summary>
    public bool Wants(RegistryEvent registryEvent) =>
        !IgnoredActions.Contains(registryEvent.Action)
        && (registryEvent.Target.MediaType is not { } mediaType || !IgnoredMediaTypes.Contains(mediaType));
}

/// <summary>How events are posted to an endpoint.</summary>
public enum EventFormat
{
    Registry,
    CloudEvents,
}
