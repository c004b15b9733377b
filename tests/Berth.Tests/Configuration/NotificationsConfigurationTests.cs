using Berth.Events;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>notifications.*</c>: registry's endpoint keys and defaults, and Berth's <c>mediatype</c> and <c>maxqueue</c>.</summary>
public sealed class NotificationsConfigurationTests
{
    private const string Endpoint = """

        notifications:
          endpoints:
            - name: hook
              url: https://receiver.example/events
        """;

    [Fact]
    public void Load_Absent_NoEndpointsAndInactive()
    {
        var notifications = ConfigYaml.Bind(ConfigYaml.Minimal).Notifications;

        Assert.Empty(notifications.Endpoints);
        Assert.False(notifications.IsActive);
    }

    [Fact]
    public void Load_EndpointWithNameAndUrl_DefaultsOfRegistry()
    {
        var endpoint = Assert.Single(ConfigYaml.Bind(ConfigYaml.Minimal + Endpoint).Notifications.Endpoints);

        Assert.Equal("hook", endpoint.Name);
        Assert.Equal(new Uri("https://receiver.example/events"), endpoint.Url);
        Assert.Equal(TimeSpan.FromSeconds(1), endpoint.Timeout);
        Assert.Equal(10, endpoint.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(1), endpoint.Backoff);
        Assert.Equal(EndpointSettings.MediaTypeV2, endpoint.MediaType);
        Assert.Equal(10_000, endpoint.MaxQueue);
        Assert.Equal(EventFormat.Registry, endpoint.Format);
    }

    [Fact]
    public void Load_EveryKey_Read()
    {
        var notifications = ConfigYaml.Bind(ConfigYaml.Minimal + Endpoint + """

                  disabled: true
                  headers:
                    Authorization: [Bearer x]
                  timeout: 500ms
                  threshold: 3
                  backoff: 2s
                  ignoredmediatypes: [application/octet-stream]
                  ignore:
                    mediatypes: [application/vnd.oci.image.index.v1+json]
                    actions: [pull]
                  mediatype: application/vnd.docker.distribution.events.v1+json
                  maxqueue: 50
                  format: cloudevents
              events:
                includereferences: true
            """).Notifications;
        var endpoint = Assert.Single(notifications.Endpoints);

        Assert.True(notifications.IncludeReferences);
        Assert.False(notifications.IsActive);
        Assert.True(endpoint.Disabled);
        Assert.Equal(["Bearer x"], endpoint.Headers["authorization"]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), endpoint.Timeout);
        Assert.Equal(3, endpoint.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(2), endpoint.Backoff);
        Assert.Equal(["application/octet-stream", "application/vnd.oci.image.index.v1+json"], endpoint.IgnoredMediaTypes.Order());
        Assert.Equal(["pull"], endpoint.IgnoredActions);
        Assert.Equal(EndpointSettings.MediaTypeV1, endpoint.MediaType);
        Assert.Equal(50, endpoint.MaxQueue);
        Assert.Equal(EventFormat.CloudEvents, endpoint.Format);
    }

    [Fact]
    public void Load_EndpointsFromEnvironment_TheWholeListAsYaml()
    {
        var notifications = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_NOTIFICATIONS_ENDPOINTS", "[{name: ci, url: 'http://ci.example/events', maxqueue: 5}]")).Notifications;

        var endpoint = Assert.Single(notifications.Endpoints);
        Assert.Equal("ci", endpoint.Name);
        Assert.Equal(5, endpoint.MaxQueue);
        Assert.True(notifications.IsActive);
    }

    [Theory]
    [InlineData("notifications:\n  endpoints:\n    - url: http://x/\n", "notifications.endpoints.0.name")]
    [InlineData("notifications:\n  endpoints:\n    - name: a\n      url: ftp://x/\n", "notifications.endpoints.0.url")]
    [InlineData("notifications:\n  endpoints:\n    - name: a\n      url: http://x/\n      ignore:\n        actions: [fetch]\n",
        "notifications.endpoints.0.ignore.actions")]
    [InlineData("notifications:\n  endpoints:\n    - name: a\n      url: http://x/\n      mediatype: application/json\n",
        "notifications.endpoints.0.mediatype")]
    [InlineData("notifications:\n  endpoints:\n    - name: a\n      url: http://x/\n      format: xml\n",
        "notifications.endpoints.0.format")]
    [InlineData("notifications:\n  endpoints:\n    - name: a\n      url: http://x/\n    - name: a\n      url: http://y/\n",
        "notifications.endpoints.1.name")]
    public void Load_BadValue_ErrorNamesKey(string yaml, string key)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\n" + yaml);

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Load_Configured_NoLongerWarnedUnimplemented()
    {
        var result = ConfigYaml.Load(ConfigYaml.Minimal + Endpoint);

        Assert.DoesNotContain(result.Warnings, warning => warning.StartsWith("notifications", StringComparison.Ordinal));
    }
}
