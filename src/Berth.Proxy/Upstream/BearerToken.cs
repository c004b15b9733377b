using System.Text.Json;

namespace Berth.Proxy.Upstream;

/// <summary>A token from an upstream's token server, and when to stop using it.</summary>
internal sealed record BearerToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>The token spec's lifetime when the server names none, and the least it may name.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Given back this long before it expires, so a request sent with it does not arrive with it expired.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;

    /// <summary>
    /// Reads the token server's answer: <c>token</c> (or OAuth2's <c>access_token</c>) and <c>expires_in</c> seconds,
    /// counted from <paramref name="receivedAt"/> rather than the server's <c>issued_at</c>, so a skewed clock on
    /// either side cannot make a token look valid for longer than it is.
    /// </summary>
    /// <exception cref="UpstreamException">The answer is not JSON or holds no token.</exception>
    public static BearerToken Parse(ReadOnlySpan<byte> json, DateTimeOffset receivedAt)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var value = Text(root, "token") ?? Text(root, "access_token")
                ?? throw new UpstreamException("the token server's answer holds no token");
            var lifetime = root.TryGetProperty("expires_in", out var seconds) && seconds.ValueKind == JsonValueKind.Number
                && seconds.TryGetInt64(out var count) && count > DefaultLifetime.TotalSeconds
                ? TimeSpan.FromSeconds(count)
                : DefaultLifetime;
            return new BearerToken(value, receivedAt + lifetime - Margin);
        }
        catch (JsonException)
        {
            throw new UpstreamException("the token server's answer is not JSON");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
