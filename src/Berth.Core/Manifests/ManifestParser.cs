using System.Text.Json;
using System.Text.Unicode;
using Berth.Core.Errors;

namespace Berth.Core.Manifests;

/// <summary>
/// Parses and checks manifest bytes (OCI image manifest and index, Docker schema2 and manifest list). It checks
/// the document alone; whether the blobs it names exist is the manifest store's business.
/// </summary>
public static class ManifestParser
{
    /// <param name="contentType">The Content-Type of the upload, used when the body carries no mediaType.</param>
    public static Manifest Parse(ReadOnlySpan<byte> bytes, string? contentType)
    {
        // The reader checks UTF-8 lazily, when a string is read: invalid bytes would throw InvalidOperationException.
        if (!Utf8.IsValid(bytes))
        {
            throw Invalid("manifest is not valid UTF-8");
        }

        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);

            // ParseValue stops after one value; anything but whitespace after it would be a second document that
            // registry:2 refuses and that a client reading the stored bytes might parse differently.
            if (reader.Read())
            {
                throw Invalid("manifest has content after the JSON document");
            }

            return Parse(document.RootElement, NormalizeContentType(contentType));
        }
        catch (JsonException e)
        {
            throw Invalid("manifest is not valid JSON: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            // The reader accepts escaped lone surrogates ("\uD800"); GetString and property names then throw this.
            // Every other accessor here is guarded by a ValueKind check, so this is always the client's text.
            throw Invalid("manifest holds text that is not valid UTF-16: " + e.Message);
        }
    }

    /// <summary>
    /// Parses a manifest already in storage, which may predate today's rules (schema1 pushed to an old registry:2).
    /// It never throws: what cannot be parsed is still served, with the media type its body declares.
    /// </summary>
    public static Manifest ParseStored(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Parse(bytes, contentType: null);
        }
        catch (RegistryException)
        {
            return new Manifest(GuessStoredMediaType(bytes), null, null, [], [], null, null);
        }
    }

    private static string GuessStoredMediaType(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("mediaType", out var declared)
                && declared.ValueKind == JsonValueKind.String)
            {
                return declared.GetString()!;
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("signatures", out _)
                ? MediaTypes.DockerSchema1Signed
                : MediaTypes.DockerSchema1;
        }
        catch (JsonException)
        {
            return "application/octet-stream";
        }
    }

    private static Manifest Parse(JsonElement root, string? contentType)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("manifest must be a JSON object");
        }

        // TryGetInt32, not GetInt32: 2.5 or 1e10 must be a refusal, not a FormatException.
        var schemaVersion = root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number
            && version.TryGetInt32(out var number)
            ? number
            : 0;
        var declared = OptionalString(root, "mediaType");
        if (schemaVersion == 1 || MediaTypes.IsSchema1(declared) || MediaTypes.IsSchema1(contentType))
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid,
                "Docker schema1 manifests are not supported; push with a current client (schema2 or OCI)");
        }

        if (schemaVersion != 2)
        {
            throw Invalid("schemaVersion must be 2");
        }

        var mediaType = ResolveMediaType(root, declared, contentType);
        var subject = root.TryGetProperty("subject", out var s) && s.ValueKind != JsonValueKind.Null ? ParseDescriptor(s, "subject") : null;
        var annotations = ParseAnnotations(root);
        var artifactType = OptionalString(root, "artifactType");

        if (MediaTypes.IsIndex(mediaType))
        {
            var manifests = ParseDescriptorArray(root, "manifests", required: true);
            return new Manifest(mediaType, artifactType, null, [], manifests, subject, annotations);
        }

        if (!root.TryGetProperty("config", out var config))
        {
            throw Invalid("image manifest has no config");
        }

        var layers = ParseDescriptorArray(root, "layers", required: mediaType == MediaTypes.DockerManifest);
        return new Manifest(mediaType, artifactType, ParseDescriptor(config, "config"), layers, [], subject, annotations);
    }

    /// <summary>
    /// The body's mediaType wins; without one, the Content-Type, then the document's shape decides. A body and a
    /// Content-Type that disagree are refused, as the OCI spec asks.
    /// </summary>
    private static string ResolveMediaType(JsonElement root, string? declared, string? contentType)
    {
        if (declared is not null && contentType is not null && IsKnown(contentType) && declared != contentType)
        {
            throw Invalid($"manifest mediaType {declared} does not match Content-Type {contentType}");
        }

        var mediaType = declared ?? (contentType is not null && IsKnown(contentType) ? contentType : null)
            ?? (root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest);
        return IsKnown(mediaType)
            ? mediaType
            : throw Invalid($"unsupported manifest media type {mediaType}");
    }

    private static bool IsKnown(string mediaType) => MediaTypes.IsIndex(mediaType) || MediaTypes.IsImageManifest(mediaType);

    private static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        // Media types are case-insensitive (RFC 6838); the constants are lowercase.
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }

    private static List<Descriptor> ParseDescriptorArray(JsonElement root, string property, bool required)
    {
        if (!root.TryGetProperty(property, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Invalid($"manifest has no {property}") : [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{property} must be an array");
        }

        var list = new List<Descriptor>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            list.Add(ParseDescriptor(item, property));
        }

        return list;
    }

    private static Descriptor ParseDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{where}: descriptor must be an object");
        }

        var mediaType = OptionalString(element, "mediaType") ?? throw Invalid($"{where}: descriptor has no mediaType");
        var digestText = OptionalString(element, "digest") ?? throw Invalid($"{where}: descriptor has no digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid, $"{where}: invalid digest", digestText);
        }

        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw Invalid($"{where}: descriptor {digestText} has no valid size");
        }

        return new Descriptor(mediaType, digest, size, OptionalString(element, "artifactType"), ParseAnnotations(element),
            ParseUrls(element, digestText), ParsePlatform(element));
    }

    /// <summary>
    /// The URLs a layer may be fetched from. Each one must be text, since the URL rules judge every one; a <c>urls</c>
    /// that is no list is ignored as before (the layer then counts as one without URLs, whose blob must exist).
    /// </summary>
    private static List<string>? ParseUrls(JsonElement element, string digestText)
    {
        if (!element.TryGetProperty("urls", out var urls) || urls.ValueKind != JsonValueKind.Array || urls.GetArrayLength() == 0)
        {
            return null;
        }

        var list = new List<string>(urls.GetArrayLength());
        foreach (var url in urls.EnumerateArray())
        {
            list.Add(url.ValueKind == JsonValueKind.String ? url.GetString()! : throw Invalid($"descriptor {digestText}: urls must be strings"));
        }

        return list;
    }

    /// <summary>An index entry's os and architecture; anything else in <c>platform</c>, or a malformed one, is not Berth's concern.</summary>
    private static Platform? ParsePlatform(JsonElement element)
    {
        if (!element.TryGetProperty("platform", out var platform) || platform.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        static string? Text(JsonElement platform, string name) =>
            platform.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        return new Platform(Text(platform, "os"), Text(platform, "architecture"));
    }

    private static Dictionary<string, string>? ParseAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var annotations) || annotations.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (annotations.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("annotations must be an object");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw Invalid($"annotation {property.Name} must be a string");
        }

        return map;
    }

    private static string? OptionalString(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{property} must be a string");
    }

    private static RegistryException Invalid(string message) => new(RegistryErrorCode.ManifestInvalid, message);
}
