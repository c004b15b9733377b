using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class HealthConfigurationTests
{
    private const string AllChecks = """

        health:
          storagedriver:
            enabled: true
            interval: 5s
            threshold: 3
          file:
            - file: /run/berth/down
              interval: 2s
          http:
            - uri: http://auth.internal/health
              headers:
                Authorization: [Bearer abc]
              statuscode: 204
              timeout: 3s
              interval: 15s
              threshold: 2
          tcp:
            - addr: redis:6379
              timeout: 500ms
              threshold: 4
        http:
          debug:
            addr: 127.0.0.1:5001
            prometheus:
              enabled: false
              path: /metrics
        """;

    [Fact]
    public void Load_DefaultConfiguration_StorageCheckEnabledAndNoDebugPort()
    {
        var configuration = ConfigurationLoader.Load(null, new Dictionary<string, string>()).Configuration;

        Assert.Equal(new PeriodicCheckSettings { Interval = TimeSpan.FromSeconds(10), Threshold = 3 }, configuration.Health.StorageDriver);
        Assert.Null(configuration.Http.Debug);
    }

    [Fact]
    public void Load_EveryHealthKey_BoundWithoutWarning()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + AllChecks);

        Assert.Empty(warnings);
        var health = configuration.Health;
        Assert.Equal(new PeriodicCheckSettings { Interval = TimeSpan.FromSeconds(5), Threshold = 3 }, health.StorageDriver);
        var file = Assert.Single(health.Files);
        Assert.Equal(("/run/berth/down", TimeSpan.FromSeconds(2)), (file.File, file.Interval));
        var http = Assert.Single(health.Http);
        Assert.Equal((new Uri("http://auth.internal/health"), 204, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15), 2),
            (http.Uri, http.StatusCode, http.Timeout, http.Interval, http.Threshold));
        Assert.Equal(["Bearer abc"], http.Headers["authorization"]);
        var tcp = Assert.Single(health.Tcp);
        Assert.Equal(("redis:6379", TimeSpan.FromMilliseconds(500), HealthSettings.DefaultInterval, 4), (tcp.Addr, tcp.Timeout, tcp.Interval, tcp.Threshold));
        Assert.Equal((5001, "/metrics", false), (configuration.Http.Debug!.ListenPort, configuration.Http.Debug.PrometheusPath, configuration.Http.Debug.PrometheusEnabled));
    }

    [Fact]
    public void Load_HttpCheckWithoutStatusOrTimeout_TakesRegistryDefaults()
    {
        var http = Assert.Single(ConfigYaml.Bind(ConfigYaml.Minimal + "\nhealth:\n  http:\n    - uri: https://example.com/\n").Health.Http);

        Assert.Equal((200, HealthSettings.DefaultTimeout, HealthSettings.DefaultInterval, 0), (http.StatusCode, http.Timeout, http.Interval, http.Threshold));
    }

    [Fact]
    public void Load_EnvironmentVariables_BindEveryKind()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "true"),
            ("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "1s"),
            ("REGISTRY_HEALTH_FILE", "[{file: /tmp/down}]"),
            ("REGISTRY_HEALTH_TCP", "[{addr: 127.0.0.1:6379, timeout: 1s}]"),
            ("REGISTRY_HEALTH_TCP_0_THRESHOLD", "2"),
            ("REGISTRY_HTTP_DEBUG_ADDR", ":5001"),
            ("REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH", "/m"));

        Assert.Equal(TimeSpan.FromSeconds(1), configuration.Health.StorageDriver!.Interval);
        Assert.Equal("/tmp/down", Assert.Single(configuration.Health.Files).File);
        Assert.Equal(2, Assert.Single(configuration.Health.Tcp).Threshold);
        Assert.Equal((null, 5001, "/m"), (configuration.Http.Debug!.ListenAddress, configuration.Http.Debug.ListenPort, configuration.Http.Debug.PrometheusPath));
    }

    [Fact]
    public void Load_StorageDriverCheckDisabled_NoCheck()
    {
        Assert.Null(ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "false")).Health.StorageDriver);
    }

    [Theory]
    [InlineData("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "often", "health.storagedriver.interval")]
    [InlineData("REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "-1", "health.storagedriver.threshold")]
    [InlineData("REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "maybe", "health.storagedriver.enabled")]
    [InlineData("REGISTRY_HEALTH_FILE", "[{interval: 1s}]", "health.file.0.file")]
    [InlineData("REGISTRY_HEALTH_FILE", "/tmp/down", "health.file")]
    [InlineData("REGISTRY_HEALTH_HTTP", "[{uri: 'ftp://x/'}]", "health.http.0.uri")]
    [InlineData("REGISTRY_HEALTH_HTTP", "[{uri: 'http://x/', statuscode: 999}]", "health.http.0.statuscode")]
    [InlineData("REGISTRY_HEALTH_HTTP", "[{uri: 'http://x/', timeout: 0s}]", "health.http.0.timeout")]
    [InlineData("REGISTRY_HEALTH_TCP", "[{addr: redis}]", "health.tcp.0.addr")]
    [InlineData("REGISTRY_HTTP_DEBUG_ADDR", "5001", "http.debug.addr")]
    [InlineData("REGISTRY_HTTP_DEBUG_ADDR", ":5000", "http.debug.addr")]
    [InlineData("REGISTRY_HTTP_DEBUG_ADDR", ":0", "http.debug.addr")]
    [InlineData("REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH", "metrics", "http.debug.prometheus.path")]
    [InlineData("REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH", "/readyz", "http.debug.prometheus.path")]
    [InlineData("REGISTRY_HTTP_DEBUG_PROMETHEUS_REPOSITORIES", "-1", "http.debug.prometheus.repositories")]
    [InlineData("REGISTRY_HTTP_DEBUG_PROMETHEUS_REPOSITORIES", "many", "http.debug.prometheus.repositories")]
    public void Load_BadValue_StopsNamingTheKey(string variable, string value, string key)
    {
        Assert.Equal(key, ConfigYaml.Error(ConfigYaml.Minimal, (variable, value)).Key);
    }

    [Fact]
    public void Load_PrometheusEnabled_NoWarningAndEnabled()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal, ("REGISTRY_HTTP_DEBUG_ADDR", ":5001"),
            ("REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true"));

        Assert.Empty(warnings);
        Assert.True(configuration.Http.Debug!.PrometheusEnabled);
    }

    [Fact]
    public void Load_PrometheusRepositories_DefaultFiftyAndVariableBound()
    {
        var defaults = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_HTTP_DEBUG_ADDR", ":5001"));
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal, ("REGISTRY_HTTP_DEBUG_ADDR", ":5001"),
            ("REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true"), ("REGISTRY_HTTP_DEBUG_PROMETHEUS_REPOSITORIES", "7"));

        Assert.Equal(50, defaults.Http.Debug!.PrometheusRepositories);
        Assert.Empty(warnings);
        Assert.Equal(7, configuration.Http.Debug!.PrometheusRepositories);
    }

    [Fact]
    public void Load_UnknownHealthKey_IsAWarning()
    {
        Assert.Equal(["health.tcp.0.port: unknown key; ignored"],
            ConfigYaml.Load(ConfigYaml.Minimal, ("REGISTRY_HEALTH_TCP", "[{addr: 'db:5432', port: 1}]")).Warnings);
    }
}
