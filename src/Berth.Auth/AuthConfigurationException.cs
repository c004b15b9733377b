namespace Berth.Auth;

/// <summary>
/// The <c>auth</c> or <c>access</c> configuration cannot work. Thrown at startup, never per request, so a broken
/// configuration stops the server instead of locking everyone out (or letting everyone in) later.
/// </summary>
public sealed class AuthConfigurationException : Exception
{
    public AuthConfigurationException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    public AuthConfigurationException(string key, string message, Exception innerException)
        : base(message, innerException)
    {
        Key = key;
    }

    public AuthConfigurationException()
        : this("auth", "invalid authentication configuration")
    {
    }

    public AuthConfigurationException(string message)
        : this("auth", message)
    {
    }

    public AuthConfigurationException(string message, Exception innerException)
        : this("auth", message, innerException)
    {
    }

    /// <summary>The dotted configuration key at fault, e.g. <c>auth.htpasswd.path</c> or <c>access.rules[2].groups</c>.</summary>
    public string Key { get; }
}
