using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Configuration;

/// <summary>
/// Applies <c>REGISTRY_*</c> variables to the configuration tree as registry:2 does: strip the prefix, split the rest
/// on <c>_</c>, walk (or create) the maps along that path and put the value, read as YAML, at its end.
/// </summary>
/// <remarks>
/// registry:2 applies the variables sorted by name, so <c>REGISTRY_STORAGE=inmemory</c> replaces the whole storage
/// section first and <c>REGISTRY_STORAGE_DELETE_ENABLED</c> then adds to the new one. Existing keys match without
/// regard to case and keep their spelling; new keys are created in lower case.
/// </remarks>
internal static class EnvironmentOverrides
{
    private const string Prefix = "REGISTRY_";

    /// <summary>
    /// Sections whose value may be just a type name (<c>storage: inmemory</c>, <c>auth: silly</c>), which registry:2
    /// reads as a map with that one key.
    /// </summary>
    private static readonly string[] SelectorSections = ["storage", "auth"];

    public static void Apply(YamlMappingNode root, IReadOnlyDictionary<string, string> environment, List<string> warnings)
    {
        foreach (var (name, value) in environment
                     .Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal))
                     .OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var path = name[Prefix.Length..].Split('_');
            if (path.Any(p => p.Length == 0))
            {
                warnings.Add($"{name}: not a configuration key (empty part between underscores); ignored");
            }
            else if (name == ConfigurationLoader.PathVariable)
            {
                // The config file's own path (read before the file), not a key in it.
            }
            else if (path is ["VERSION"])
            {
                warnings.Add($"{name}: the configuration version cannot be set from the environment; ignored");
            }
            else
            {
                Set(root, path, ParseValue(value, path), name, warnings);
            }
        }
    }

    /// <summary>Turns <c>storage: inmemory</c> into <c>storage: {inmemory: }</c> so later keys can be added below.</summary>
    public static void NormalizeSelectors(YamlMappingNode root)
    {
        foreach (var section in SelectorSections)
        {
            var key = new YamlScalarNode(section);
            if (root.Children.TryGetValue(key, out var node))
            {
                root.Children[key] = AsSelector(node);
            }
        }
    }

    private static YamlNode ParseValue(string value, string[] path)
    {
        YamlNode node;
        try
        {
            node = YamlValues.Parse(value);
        }
        catch (YamlException)
        {
            // registry:2 refuses a value that is not YAML (a secret starting with '@' or '%'); taking it as text
            // is what the user meant.
            node = new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
        }

        return path.Length == 1 && SelectorSections.Contains(path[0], StringComparer.OrdinalIgnoreCase) ? AsSelector(node) : node;
    }

    private static YamlNode AsSelector(YamlNode node) =>
        node is YamlScalarNode { Value: { Length: > 0 } type } && !YamlValues.IsNull(node)
            ? new YamlMappingNode { { new YamlScalarNode(type), new YamlScalarNode() } }
            : node;

    private static void Set(YamlMappingNode root, string[] path, YamlNode value, string name, List<string> warnings)
    {
        YamlNode current = root;
        for (var i = 0; i < path.Length; i++)
        {
            var last = i == path.Length - 1;
            switch (current)
            {
                case YamlMappingNode map:
                    var key = FindKey(map, path[i]) ?? new YamlScalarNode(path[i].ToLowerInvariant());
                    if (last)
                    {
                        map.Children[key] = value;
                        return;
                    }

                    if (!map.Children.TryGetValue(key, out var child) || YamlValues.IsNull(child))
                    {
                        child = new YamlMappingNode();
                        map.Children[key] = child;
                    }

                    current = child;
                    break;

                case YamlSequenceNode list when int.TryParse(path[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                                                && index <= list.Children.Count:
                    // registry:2 lets REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME reach into a list, or append one item.
                    if (index == list.Children.Count)
                    {
                        list.Children.Add(last ? value : new YamlMappingNode());
                    }

                    if (last)
                    {
                        list.Children[index] = value;
                        return;
                    }

                    current = list.Children[index];
                    break;

                default:
                    var at = string.Join('.', path.Take(i)).ToLowerInvariant();
                    warnings.Add($"{name}: {at} is {YamlValues.Describe(current)}, not a map; ignored");
                    return;
            }
        }
    }

    private static YamlScalarNode? FindKey(YamlMappingNode map, string part) =>
        map.Children.Keys.OfType<YamlScalarNode>()
            .FirstOrDefault(k => string.Equals(k.Value, part, StringComparison.OrdinalIgnoreCase));
}
