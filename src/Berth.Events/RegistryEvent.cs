using System.Text.Json.Serialization;

namespace Berth.Events;

/// <summary>
/// One event, shaped and named as registry's <c>notifications.Event</c> so that receivers written for registry:2 and
/// registry:3 read it unchanged.
/// </summary>
public sealed record RegistryEvent(
    string Id,
    DateTime Timestamp,
    string Action,
    EventTarget Target,
    EventRequestRecord Request,
    EventActor Actor,
    EventSource Source);

/// <summary>What the event is about. Delete events carry only the repository and the digest or tag, as registry's do.</summary>
public sealed record EventTarget
{
    public string? MediaType { get; init; }

    public string? Digest { get; init; }

    public long? Size { get; init; }

    /// <summary>The same as <see cref="Size"/>; registry keeps it for older receivers.</summary>
    public long? Length { get; init; }

    public required string Repository { get; init; }

    public string? FromRepository { get; init; }

    public string? Url { get; init; }

    public string? Tag { get; init; }

    public IReadOnlyList<EventDescriptor>? References { get; init; }
}

public sealed record EventDescriptor(string MediaType, string Digest, long Size);

/// <summary>The request that caused the event. Id, method and user agent are always written, as registry writes them.</summary>
public sealed record EventRequestRecord(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string Id,
    string? Addr,
    string? Host,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string Method,
    [property: JsonPropertyName("useragent"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string UserAgent);

public sealed record EventActor(string? Name);

/// <summary>The node that produced the event: its host name and port, and an id that changes with every start.</summary>
public sealed record EventSource(
    string? Addr,
    [property: JsonPropertyName("instanceID")] string? InstanceId);

internal sealed record EventEnvelope(IReadOnlyList<RegistryEvent> Events);
