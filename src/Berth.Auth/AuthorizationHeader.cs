using System.Security.Cryptography;
using System.Text;

namespace Berth.Auth;

/// <summary>
/// Reads the Authorization header's schemes. Never throws: anything that is not well formed is simply not a
/// credential, and the caller answers 401.
/// </summary>
internal static class AuthorizationHeader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The parameter of <paramref name="scheme"/> (case-insensitive), or null if the header uses another scheme.</summary>
    public static string? Parameter(string header, string scheme)
    {
        var span = header.AsSpan().Trim();
        if (span.Length <= scheme.Length || !span.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || span[scheme.Length] != ' ')
        {
            return null;
        }

        var parameter = span[(scheme.Length + 1)..].Trim();
        return parameter.IsEmpty ? null : parameter.ToString();
    }

    /// <summary>RFC 7617 Basic credentials: base64 of UTF-8 <c>user:password</c>; the user must not be empty.</summary>
    public static bool TryParseBasic(string header, out string user, out string password)
    {
        user = "";
        password = "";
        var parameter = Parameter(header, "Basic");
        if (parameter is null)
        {
            return false;
        }

        var bytes = new byte[(parameter.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(parameter, bytes, out var length))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    /// <summary>
    /// Basic credentials with an empty user and an empty password (<c>Basic Og==</c>, base64 of ":"). The containers
    /// tools (skopeo, podman, buildah) send exactly this when they have no credentials and the challenge is Basic: it
    /// means "nobody", not a failed login.
    /// </summary>
    public static bool IsEmptyBasic(string header) => Parameter(header, "Basic") == "Og==";

    /// <summary>An RFC 9110 quoted-string: backslash before every quote and backslash.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
