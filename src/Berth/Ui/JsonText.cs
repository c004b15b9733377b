using System.Globalization;
using System.Text.Json;

namespace Berth.Ui;

/// <summary>Lenient reads of untrusted JSON (manifests and configs as pushed): a missing or mistyped field is just absent.</summary>
internal static class JsonText
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static DateTimeOffset? Time(JsonElement element, string name) =>
        String(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <returns>The member, or an undefined element when there is none (or <paramref name="element"/> is no object).</returns>
    public static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;
}
