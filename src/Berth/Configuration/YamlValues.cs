using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Configuration;

/// <summary>
/// Reading YAML the way registry:2 (go-yaml v2, YAML 1.1) reads it: <c>~</c> and an empty plain value are null,
/// and booleans may be spelled true/yes/on/y and false/no/off/n.
/// </summary>
internal static class YamlValues
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "y"];
    private static readonly string[] FalseWords = ["false", "no", "off", "n"];

    /// <summary>Parses one YAML document; an empty document is a null scalar.</summary>
    /// <exception cref="YamlException">The text is not YAML.</exception>
    public static YamlNode Parse(string text)
    {
        var parser = new Parser(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18 fails this way on some malformed input (a flow list left open across lines).
            var at = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(at, at, "malformed YAML here or just after (an unclosed bracket or quote?)", e);
        }

        return stream.Documents.Count == 0 ? new YamlScalarNode() : stream.Documents[0].RootNode;
    }

    public static bool IsNull(YamlNode? node) =>
        node is null
        || (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
            && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    public static bool TryGetBool(YamlScalarNode scalar, out bool value)
    {
        // Quoted "true" is text in YAML; registry:2 refuses it, Berth accepts it: nobody quotes it to mean text.
        var text = scalar.Value ?? string.Empty;
        if (TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>How a value reads in an error message: <c>'maybe'</c>, <c>a map</c>, <c>a list</c>.</summary>
    public static string Describe(YamlNode? node) => node switch
    {
        null => "nothing",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => "'" + s.Value + "'",
        YamlMappingNode => "a map",
        YamlSequenceNode => "a list",
        _ => node.NodeType.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads a list of text values; a single scalar is a list of one, null is an empty list.</summary>
    /// <param name="key">The dotted key, named in errors.</param>
    public static List<string> StringList(string key, YamlNode node) => node switch
    {
        _ when IsNull(node) => [],
        // registry:2 wants a list; one value written without brackets means the same thing.
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode list => list.Children.Select(item => item is YamlScalarNode { Value: { } value } && !IsNull(item)
            ? value
            : throw new ConfigurationException(key, $"expected a list of text values, got {Describe(item)} in it")).ToList(),
        _ => throw new ConfigurationException(key, $"expected a list of text values, got {Describe(node)}"),
    };
}
