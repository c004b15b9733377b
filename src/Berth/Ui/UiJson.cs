using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Berth.Ui;

/// <summary>
/// Writes the page's JSON. The writer's default encoder escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and quotes, so no
/// string from a manifest can end a script or a tag even if some client pasted it into HTML (the page itself only
/// ever sets text).
/// </summary>
internal static class UiJson
{
    public static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        // Answers depend on the caller's credentials and on the registry's current state: never reused.
        response.Headers.CacheControl = "no-store";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static void WriteTime(this Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    public static void WriteMap(this Utf8JsonWriter json, string name, IReadOnlyDictionary<string, string>? map)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map ?? new Dictionary<string, string>())
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    /// <summary>Copies <paramref name="element"/> as it is when it has the expected kind, else writes null.</summary>
    public static void WriteElement(this Utf8JsonWriter json, string name, JsonElement element, JsonValueKind kind)
    {
        json.WritePropertyName(name);
        if (element.ValueKind == kind)
        {
            element.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    public static void WritePlatform(this Utf8JsonWriter json, string name, PlatformName? platform)
    {
        if (platform is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteString("os", platform.Os);
        json.WriteString("architecture", platform.Architecture);
        if (platform.Variant is not null)
        {
            json.WriteString("variant", platform.Variant);
        }

        json.WriteEndObject();
    }
}
