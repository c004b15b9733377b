using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Http;

/// <summary>The JSON bodies Berth answers with, serialized by source generation (no reflection on hot paths).</summary>
internal sealed record ErrorEnvelope(IReadOnlyList<ErrorEntry> Errors);

internal sealed record ErrorEntry(string Code, string Message, string? Detail);

internal sealed record TagList(string Name, IReadOnlyList<string> Tags);

internal sealed record CatalogPage(IReadOnlyList<string> Repositories);

internal sealed record ReferrersIndex(int SchemaVersion, string MediaType, IReadOnlyList<ReferrerDescriptor> Manifests);

internal sealed record ReferrerDescriptor(
    string MediaType,
    string Digest,
    long Size,
    string? ArtifactType,
    IReadOnlyDictionary<string, string>? Annotations);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(CatalogPage))]
[JsonSerializable(typeof(ReferrersIndex))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
internal sealed partial class BerthJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context responses are written with. Relaxed escaping keeps media types readable (<c>v1+json</c>, not
    /// <c>v1\u002Bjson</c>); these bodies are JSON documents, never embedded in HTML.
    /// </summary>
    public static BerthJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
