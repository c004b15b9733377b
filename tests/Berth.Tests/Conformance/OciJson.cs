using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Tests.Conformance;

/// <summary>
/// A descriptor as the suite's image.go declares it: <c>data</c> is left out when empty, while the unknown field
/// <c>newUnspecifiedField</c> is always written (null when unset) to check that registries keep fields they do not
/// know.
/// </summary>
internal sealed record Descriptor(string MediaType, string Digest, long Size)
{
    public byte[]? Data { get; init; }

    public byte[]? NewUnspecifiedField { get; init; }

    public static Descriptor Of(string mediaType, byte[] content) => new(mediaType, OciJson.Digest(content), content.Length);
}

/// <summary>An image manifest or index in the shape (field order, omissions) that the Go suite marshals.</summary>
internal sealed record ManifestDocument
{
    public string? MediaType { get; init; }

    public string? ArtifactType { get; init; }

    public Descriptor? Config { get; init; }

    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    /// <summary>Set for an index: written as <c>manifests</c> instead of config and layers.</summary>
    public IReadOnlyList<Descriptor>? Manifests { get; init; }

    public Descriptor? Subject { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

/// <summary>
/// Writes documents like Go's <c>json.MarshalIndent(v, "", "\t")</c>: tab indents, []byte as base64, map keys
/// sorted, no HTML escaping of '+' in media types.
/// </summary>
internal static class OciJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static byte[] ImageConfig(string author) => Write(writer =>
    {
        writer.WriteString("author", author);
        writer.WriteString("architecture", "amd64");
        writer.WriteString("os", "linux");
        writer.WriteStartObject("rootfs");
        writer.WriteString("type", "layers");
        writer.WriteStartArray("diff_ids");
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static byte[] Serialize(ManifestDocument document) => Write(writer =>
    {
        writer.WriteNumber("schemaVersion", 2);
        WriteIfSet(writer, "mediaType", document.MediaType);
        WriteIfSet(writer, "artifactType", document.ArtifactType);
        if (document.Manifests is not null)
        {
            WriteDescriptors(writer, "manifests", document.Manifests);
        }
        else
        {
            writer.WritePropertyName("config");
            WriteDescriptor(writer, document.Config!);
            WriteDescriptors(writer, "layers", document.Layers);
        }

        if (document.Subject is not null)
        {
            writer.WritePropertyName("subject");
            WriteDescriptor(writer, document.Subject);
        }

        if (document.Annotations is { Count: > 0 })
        {
            writer.WriteStartObject("annotations");
            foreach (var (key, value) in document.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteDescriptors(Utf8JsonWriter writer, string name, IReadOnlyList<Descriptor> descriptors)
    {
        writer.WriteStartArray(name);
        foreach (var descriptor in descriptors)
        {
            WriteDescriptor(writer, descriptor);
        }

        writer.WriteEndArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest);
        writer.WriteNumber("size", descriptor.Size);
        if (descriptor.Data is { Length: > 0 })
        {
            writer.WriteBase64String("data", descriptor.Data);
        }

        if (descriptor.NewUnspecifiedField is null)
        {
            writer.WriteNull("newUnspecifiedField");
        }
        else
        {
            writer.WriteBase64String("newUnspecifiedField", descriptor.NewUnspecifiedField);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
