namespace Berth.Events;

/// <summary><c>notifications.*</c>: where events go and what they carry.</summary>
public sealed record NotificationSettings
{
    public IReadOnlyList<EndpointSettings> Endpoints { get; init; } = [];

    /// <summary><c>notifications.events.includereferences</c>: manifest events list what the manifest points at.</summary>
    public bool IncludeReferences { get; init; }

    /// <summary>Whether any endpoint receives events; without one no decorator is installed at all.</summary>
    public bool IsActive => Endpoints.Any(endpoint => !endpoint.Disabled);
}
