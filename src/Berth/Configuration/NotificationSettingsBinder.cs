using Berth.Events;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>notifications.*</c>: registry's endpoint keys with registry's defaults, plus Berth's <c>mediatype</c> (the
/// envelope's Content-Type, registry:2's or registry:3's), <c>format</c> (registry's envelope or CloudEvents) and
/// <c>maxqueue</c> (the bound of the durable queue).
/// </summary>
internal static class NotificationSettingsBinder
{
    private static readonly string[] MediaTypes = [EndpointSettings.MediaTypeV2, EndpointSettings.MediaTypeV1];

    public static NotificationSettings Bind(ConfigSection notifications)
    {
        var events = notifications.GetSection("events");
        var includeReferences = events.GetBool("includereferences", fallback: false);
        events.WarnUnknownKeys();

        var endpoints = notifications.GetSectionList("endpoints").Select(BindEndpoint).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < endpoints.Count; i++)
        {
            // Each endpoint's queue is a folder named after it: two of one name would share, and split, one queue.
            if (!names.Add(endpoints[i].Name))
            {
                throw new ConfigurationException($"notifications.endpoints.{i}.name", $"'{endpoints[i].Name}' names an earlier endpoint too");
            }
        }

        notifications.WarnUnknownKeys();
        return new NotificationSettings { Endpoints = endpoints, IncludeReferences = includeReferences };
    }

    private static EndpointSettings BindEndpoint(ConfigSection endpoint)
    {
        var name = endpoint.GetString("name");
        if (string.IsNullOrEmpty(name))
        {
            throw new ConfigurationException(endpoint.KeyPath("name"), "missing; every endpoint needs a name");
        }

        var ignore = endpoint.GetSection("ignore");
        var ignoredActions = ignore.GetStringList("actions") ?? [];
        foreach (var action in ignoredActions.Where(action => !EventActions.All.Contains(action)))
        {
            throw new ConfigurationException(ignore.KeyPath("actions"), $"unknown action '{action}'; expected {string.Join(", ", EventActions.All)}");
        }

        var defaults = new EndpointSettings { Name = name, Url = new Uri("http://localhost/") };
        var settings = new EndpointSettings
        {
            Name = name,
            Url = ReadUrl(endpoint),
            Disabled = endpoint.GetBool("disabled", fallback: false),
            Headers = HttpSettingsBinder.ReadHeaders(endpoint.GetSection("headers")),
            // registry takes zero (or nothing) as its default for these three.
            Timeout = Positive(endpoint.GetDuration("timeout", positive: false)) ?? defaults.Timeout,
            Threshold = endpoint.GetInt("threshold", minimum: 0) is > 0 and var threshold ? threshold : defaults.Threshold,
            Backoff = Positive(endpoint.GetDuration("backoff", positive: false)) ?? defaults.Backoff,
            IgnoredMediaTypes = new HashSet<string>([.. endpoint.GetStringList("ignoredmediatypes") ?? [], .. ignore.GetStringList("mediatypes") ?? []],
                StringComparer.Ordinal),
            IgnoredActions = new HashSet<string>(ignoredActions, StringComparer.Ordinal),
            MediaType = endpoint.GetChoice("mediatype", MediaTypes) is { } choice ? MediaTypes[choice] : defaults.MediaType,
            Format = endpoint.GetChoice("format", "registry", "cloudevents") == 1 ? EventFormat.CloudEvents : EventFormat.Registry,
            MaxQueue = endpoint.GetInt("maxqueue", minimum: 1) ?? defaults.MaxQueue,
        };
        ignore.WarnUnknownKeys();
        endpoint.WarnUnknownKeys();
        return settings;
    }

    private static Uri ReadUrl(ConfigSection endpoint)
    {
        var text = endpoint.GetString("url");
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ConfigurationException(endpoint.KeyPath("url"), $"expected an http or https URL, got '{text}'");
    }

    private static TimeSpan? Positive(TimeSpan? duration) => duration > TimeSpan.Zero ? duration : null;
}
