namespace Berth.Configuration;

/// <summary>
/// A configuration that cannot be served: a bad file, a bad value, an unusable storage root. The message names the
/// key (<c>storage.filesystem.rootdirectory</c>) so the user knows what to fix; berth prints it and exits 1.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string key, string message)
        : base($"{key}: {message}")
    {
        Key = key;
    }

    public ConfigurationException()
    {
        Key = string.Empty;
    }

    public ConfigurationException(string message) : base(message)
    {
        Key = string.Empty;
    }

    public ConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
        Key = string.Empty;
    }

    /// <summary>The config.yml key at fault, dotted (<c>http.addr</c>).</summary>
    public string Key { get; }
}
