using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Events;

/// <summary>Events as JSON, by source generation (Native AOT has no reflection-based serializer).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegistryEvent))]
[JsonSerializable(typeof(EventEnvelope))]
internal sealed partial class EventJson : JsonSerializerContext
{
    /// <summary>Relaxed escaping keeps media types readable (<c>v2+json</c>, not <c>v2\u002Bjson</c>); receivers parse JSON, not HTML.</summary>
    public static EventJson Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    public static byte[] Serialize(RegistryEvent registryEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(registryEvent, Wire.RegistryEvent);

    /// <summary>
    /// The envelope around one stored event, as registry posts it (one event a request). The stored bytes are put in
    /// as they are, so what is delivered after a restart is exactly what was recorded.
    /// </summary>
    public static byte[] Envelope(ReadOnlySpan<byte> storedEvent)
    {
        ReadOnlySpan<byte> head = """{"events":["""u8;
        ReadOnlySpan<byte> tail = "]}"u8;
        var body = new byte[head.Length + storedEvent.Length + tail.Length];
        head.CopyTo(body);
        storedEvent.CopyTo(body.AsSpan(head.Length));
        tail.CopyTo(body.AsSpan(head.Length + storedEvent.Length));
        return body;
    }
}
