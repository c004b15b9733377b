using YamlDotNet.RepresentationModel;

namespace Berth.Configuration;

/// <summary>
/// One map of the configuration tree (<c>http</c>, <c>storage.delete</c>) being bound to typed settings. It remembers
/// which keys were read so that every key nobody read becomes an "unknown key" warning instead of vanishing.
/// </summary>
internal sealed class ConfigSection
{
    private readonly Dictionary<string, YamlNode> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<string> _warnings;

    private ConfigSection(string path, List<string> warnings)
    {
        Path = path;
        _warnings = warnings;
    }

    /// <summary>The dotted key of this map; empty for the document root.</summary>
    public string Path { get; }

    /// <summary>A section over <paramref name="node"/>; a missing or null node is an empty section.</summary>
    /// <exception cref="ConfigurationException">The node is a scalar or list, or has a key that is not text.</exception>
    public static ConfigSection Of(YamlNode? node, string path, List<string> warnings)
    {
        var section = new ConfigSection(path, warnings);
        if (YamlValues.IsNull(node))
        {
            return section;
        }

        if (node is not YamlMappingNode map)
        {
            throw new ConfigurationException(path, $"expected a map, got {YamlValues.Describe(node)}");
        }

        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new ConfigurationException(path, $"keys must be text, got {YamlValues.Describe(key)}");
            }

            section._entries[name] = value;
        }

        return section;
    }

    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>The value at <paramref name="key"/>, or null when it is missing or written as null.</summary>
    public YamlNode? Get(string key)
    {
        _read.Add(key);
        return _entries.TryGetValue(key, out var node) && !YamlValues.IsNull(node) ? node : null;
    }

    public bool Has(string key) => Get(key) is not null;

    public string? GetString(string key) => Get(key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw new ConfigurationException(KeyPath(key), $"expected a text value, got {YamlValues.Describe(other)}"),
    };

    public bool GetBool(string key, bool fallback)
    {
        var node = Get(key);
        if (node is null)
        {
            return fallback;
        }

        if (node is YamlScalarNode scalar && YamlValues.TryGetBool(scalar, out var value))
        {
            return value;
        }

        throw new ConfigurationException(KeyPath(key), $"expected true or false, got {YamlValues.Describe(node)}");
    }

    /// <summary>A whole number no smaller than <paramref name="minimum"/>; null when missing.</summary>
    public int? GetInt(string key, int minimum)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        return node is YamlScalarNode { Value: { } text }
            && int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= minimum
                ? value
                : throw new ConfigurationException(KeyPath(key), $"expected a whole number of at least {minimum}, got {YamlValues.Describe(node)}");
    }

    /// <summary>A duration in Go's syntax (<c>5s</c>, <c>1m30s</c>, <c>168h</c>), as registry:2's file writes them.</summary>
    /// <param name="positive">Whether zero is refused too (an interval or an age of nothing means nothing).</param>
    public TimeSpan? GetDuration(string key, bool positive)
    {
        var text = GetString(key);
        if (text is null)
        {
            return null;
        }

        return GoDuration.TryParse(text, out var duration) && (!positive || duration > TimeSpan.Zero)
            ? duration
            : throw new ConfigurationException(KeyPath(key), $"expected a duration{(positive ? " above zero" : "")} such as 5s, 500ms or 1m30s, got '{text}'");
    }

    /// <summary>Reads one of <paramref name="choices"/> (case-insensitive) and returns its index.</summary>
    public int? GetChoice(string key, params string[] choices)
    {
        var text = GetString(key);
        if (text is null)
        {
            return null;
        }

        var index = Array.FindIndex(choices, c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new ConfigurationException(KeyPath(key), $"expected one of {string.Join(", ", choices)}, got '{text}'");
    }

    /// <summary>A list of text values; one value written without brackets is a list of one. Null when missing.</summary>
    public IReadOnlyList<string>? GetStringList(string key) =>
        Get(key) is { } node ? YamlValues.StringList(KeyPath(key), node) : null;

    public ConfigSection GetSection(string key) => Of(Get(key), KeyPath(key), _warnings);

    /// <summary>A list of repository patterns (<c>*</c> within a path segment, <c>**</c> across); null when missing.</summary>
    public IReadOnlyList<Core.Patterns.RepositoryGlob>? GetRepositoryGlobs(string key) =>
        GetStringList(key)?.Select(pattern => Core.Patterns.RepositoryGlob.TryParse(pattern, out var glob, out var error)
                ? glob!
                : throw new ConfigurationException(KeyPath(key), error + " (* within a path segment, ** across segments)"))
            .ToList();

    /// <summary>
    /// A map holding one boolean, as <c>http.h2c.enabled</c> and <c>storage.maintenance.readonly.enabled</c> are
    /// written; false when missing. Other keys in that map are warned about.
    /// </summary>
    public bool GetSwitch(string key, string flag)
    {
        var section = GetSection(key);
        var value = section.GetBool(flag, fallback: false);
        section.WarnUnknownKeys();
        return value;
    }

    /// <summary>A list of maps (<c>access.rules</c>); item <c>i</c> is the section <c>key.i</c>, as REGISTRY_* spells it.</summary>
    public IReadOnlyList<ConfigSection> GetSectionList(string key) => Get(key) switch
    {
        null => [],
        YamlSequenceNode list => list.Children.Select((item, i) => Of(item, $"{KeyPath(key)}.{i}", _warnings)).ToList(),
        var other => throw new ConfigurationException(KeyPath(key), $"expected a list, got {YamlValues.Describe(other)}"),
    };

    /// <summary>Every entry of this map, for maps whose keys are data (<c>log.fields</c>, <c>http.headers</c>).</summary>
    public IEnumerable<KeyValuePair<string, YamlNode>> Entries()
    {
        _read.UnionWith(_entries.Keys);
        return _entries;
    }

    /// <summary>The keys present in this map, in file order.</summary>
    public IReadOnlyCollection<string> Keys => _entries.Keys;

    /// <summary>A registry:2 key Berth does not implement yet: accepted, and the user is told it has no effect.</summary>
    public void Unimplemented(string key, string? consequence = null)
    {
        if (Has(key))
        {
            Warn(key, "not implemented by Berth yet; ignored" + (consequence is null ? "" : ": " + consequence));
        }
    }

    public void Warn(string key, string message) => _warnings.Add($"{KeyPath(key)}: {message}");

    /// <summary>Warns about each key that nobody read: registry:2 ignores unknown keys silently; Berth says so.</summary>
    public void WarnUnknownKeys()
    {
        foreach (var key in _entries.Keys.Where(k => !_read.Contains(k)))
        {
            Warn(key, "unknown key; ignored");
        }
    }
}
