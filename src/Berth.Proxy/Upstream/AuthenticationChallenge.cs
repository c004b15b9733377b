using System.Net.Http.Headers;

namespace Berth.Proxy.Upstream;

/// <summary>
/// One challenge of an upstream's <c>WWW-Authenticate</c> header (RFC 7235): the scheme and its parameters, as in
/// <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"</c>.
/// </summary>
internal sealed record AuthenticationChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public const string Bearer = "Bearer";
    public const string Basic = "Basic";

    public bool IsBearer => string.Equals(Scheme, Bearer, StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => string.Equals(Scheme, Basic, StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.GetValueOrDefault(name);

    /// <summary>The challenge to answer: Bearer when offered (what Docker Hub, GHCR and Quay send), else Basic, else none.</summary>
    public static AuthenticationChallenge? Select(HttpHeaderValueCollection<AuthenticationHeaderValue> offered)
    {
        var challenges = offered.Select(header => new AuthenticationChallenge(header.Scheme, ParseParameters(header.Parameter))).ToList();
        return challenges.FirstOrDefault(challenge => challenge.IsBearer) ?? challenges.FirstOrDefault(challenge => challenge.IsBasic);
    }

    /// <summary>
    /// <c>name=token</c> or <c>name="quoted string"</c> pairs separated by commas; a quoted string may hold commas and
    /// backslash escapes. Names are case-insensitive; a malformed tail is ignored rather than guessed at.
    /// </summary>
    public static Dictionary<string, string> ParseParameters(string? text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var at = 0;
        while (text is not null && at < text.Length)
        {
            at = SkipSeparators(text, at);
            var equals = text.IndexOf('=', at);
            if (equals < 0)
            {
                break;
            }

            var name = text[at..equals].Trim();
            var (value, next) = ReadValue(text, equals + 1);
            if (name.Length > 0)
            {
                parameters[name] = value;
            }

            at = next;
        }

        return parameters;
    }

    private static int SkipSeparators(string text, int at)
    {
        while (at < text.Length && (text[at] == ',' || char.IsWhiteSpace(text[at])))
        {
            at++;
        }

        return at;
    }

    private static (string Value, int Next) ReadValue(string text, int at)
    {
        while (at < text.Length && text[at] == ' ')
        {
            at++;
        }

        if (at >= text.Length || text[at] != '"')
        {
            var comma = text.IndexOf(',', at);
            var end = comma < 0 ? text.Length : comma;
            return (text[at..end].Trim(), end);
        }

        var value = new System.Text.StringBuilder();
        for (var i = at + 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when i + 1 < text.Length:
                    value.Append(text[++i]);
                    break;
                case '"':
                    return (value.ToString(), i + 1);
                default:
                    value.Append(text[i]);
                    break;
            }
        }

        return (value.ToString(), text.Length);
    }
}
