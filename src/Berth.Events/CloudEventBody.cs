using System.Text;
using System.Text.Json;

namespace Berth.Events;

/// <summary>
/// <c>format: cloudevents</c>: one stored event as a CloudEvents 1.0 event in structured JSON mode. The registry event
/// is the <c>data</c>, unchanged, so the same fields are there for whoever reads them; the envelope attributes come
/// from it: <c>id</c>, <c>time</c>, <c>type</c> <c>io.github.berth.registry.&lt;action&gt;</c>, <c>subject</c> the
/// repository, <c>source</c> the node.
/// </summary>
internal static class CloudEventBody
{
    public const string MediaType = "application/cloudevents+json";

    public static byte[] Of(ReadOnlySpan<byte> storedEvent)
    {
        using var document = JsonDocument.Parse(storedEvent.ToArray());
        var root = document.RootElement;
        var output = new MemoryStream(storedEvent.Length + 256);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", Text(root, "id"));
            json.WriteString("source", "/berth/" + (root.TryGetProperty("source", out var source) ? Text(source, "addr") : string.Empty));
            json.WriteString("type", "io.github.berth.registry." + Text(root, "action"));
            if (root.TryGetProperty("target", out var target) && Text(target, "repository") is { Length: > 0 } repository)
            {
                json.WriteString("subject", repository);
            }

            json.WriteString("time", Text(root, "timestamp"));
            json.WriteString("datacontenttype", "application/json");
            json.WritePropertyName("data");
            json.WriteRawValue(storedEvent, skipInputValidation: true);
            json.WriteEndObject();
        }

        return output.ToArray();
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
