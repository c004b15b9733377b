using Berth.Tracing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Configuration;

/// <summary>
/// Loads the registry:2 <c>config.yml</c> (or the image's default one), applies the <c>REGISTRY_*</c> environment
/// and binds the result. Every problem is a <see cref="ConfigurationException"/> naming the key at fault.
/// </summary>
internal static class ConfigurationLoader
{
    /// <summary>The embedded copy of the image's default config file (registry:3's <c>/etc/distribution/config.yml</c>, registry:2's <c>/etc/docker/registry/config.yml</c>).</summary>
    public const string DefaultConfigResource = "default-config.yml";

    /// <summary>
    /// <c>REGISTRY_CONFIGURATION_PATH</c>: where registry:2 and registry:3 read the config file from when the command
    /// names none. It is a path, not a configuration key, so the <c>REGISTRY_*</c> overrides skip it.
    /// </summary>
    public const string PathVariable = "REGISTRY_CONFIGURATION_PATH";

    /// <summary>The config file a command uses: the one it names, else <see cref="PathVariable"/>, else null (the built-in default).</summary>
    public static string? ResolvePath(string? argument, IReadOnlyDictionary<string, string> environment) =>
        !string.IsNullOrEmpty(argument) ? argument
        : environment.TryGetValue(PathVariable, out var path) && !string.IsNullOrEmpty(path) ? path
        : null;

    /// <param name="configFilePath">The config file; null for the built-in default configuration.</param>
    /// <param name="environment">The process environment: the <c>REGISTRY_*</c> variables, and <c>OTEL_*</c> for tracing.</param>
    public static ConfigurationLoadResult Load(string? configFilePath, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return configFilePath is null
            ? LoadYaml(ReadDefault(), DefaultConfigResource, environment)
            : LoadYaml(ReadFile(configFilePath), configFilePath, environment);
    }

    /// <param name="yaml">The configuration text.</param>
    /// <param name="source">Where the text came from, named in YAML syntax errors.</param>
    /// <param name="environment">The process environment: the <c>REGISTRY_*</c> variables, and <c>OTEL_*</c> for tracing.</param>
    public static ConfigurationLoadResult LoadYaml(string yaml, string source, IReadOnlyDictionary<string, string> environment)
    {
        var root = ParseDocument(yaml, source);
        ConfigurationBinder.CheckVersion(root);
        EnvironmentOverrides.NormalizeSelectors(root);

        var warnings = new List<string>();
        EnvironmentOverrides.Apply(root, environment, warnings);
        var configuration = ConfigurationBinder.Bind(root, warnings) with { Tracing = TracingSettings.FromEnvironment(environment) };
        return new ConfigurationLoadResult(configuration, warnings);
    }

    private static YamlMappingNode ParseDocument(string yaml, string source)
    {
        YamlNode node;
        try
        {
            node = YamlValues.Parse(yaml);
        }
        catch (YamlException e)
        {
            // YamlDotNet wraps some errors; the innermost one says what is wrong.
            var inner = e.InnerException as YamlException ?? e;
            throw new ConfigurationException(source, $"invalid YAML at line {inner.Start.Line}, column {inner.Start.Column}: {inner.Message}");
        }

        return node switch
        {
            YamlMappingNode map => map,
            // An empty file has no version, which is the error registry:2 gives for it too.
            _ when YamlValues.IsNull(node) => new YamlMappingNode(),
            _ => throw new ConfigurationException(source, $"expected a map of configuration keys, got {YamlValues.Describe(node)}"),
        };
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationException(path, $"cannot read the configuration file: {e.Message}");
        }
    }

    private static string ReadDefault()
    {
        using var stream = typeof(ConfigurationLoader).Assembly.GetManifestResourceStream(DefaultConfigResource)
            ?? throw new InvalidOperationException($"The embedded resource {DefaultConfigResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
