using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary>Loads configuration text the way berth loads a file, with the given REGISTRY_* variables.</summary>
internal static class ConfigYaml
{
    public const string Minimal = """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: /srv/registry
        """;

    /// <summary>The smallest S3 configuration: an endpoint (a local gateway) and a bucket.</summary>
    public const string S3Endpoint = """
        version: 0.1
        storage:
          s3:
            regionendpoint: http://127.0.0.1:7480
            bucket: images
        """;

    public static ConfigurationLoadResult Load(string yaml, params (string Name, string Value)[] environment) =>
        ConfigurationLoader.LoadYaml(yaml, "test.yml", environment.ToDictionary(e => e.Name, e => e.Value));

    public static RegistryConfiguration Bind(string yaml, params (string Name, string Value)[] environment) =>
        Load(yaml, environment).Configuration;

    /// <summary>The exception a bad configuration throws; fails the test when it loads.</summary>
    public static ConfigurationException Error(string yaml, params (string Name, string Value)[] environment) =>
        Assert.Throws<ConfigurationException>(() => Load(yaml, environment));
}
