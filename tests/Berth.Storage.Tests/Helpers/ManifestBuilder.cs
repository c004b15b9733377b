using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core;
using Berth.Core.Manifests;

namespace Berth.Storage.Tests.Helpers;

/// <summary>
/// Builds OCI image manifests and indexes as JSON, and remembers the blobs an image names so a test can push
/// them first (or, to test MANIFEST_BLOB_UNKNOWN, not).
/// </summary>
public sealed class ManifestBuilder
{
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";

    private readonly List<byte[]> _layers = [];
    private readonly Dictionary<string, string> _annotations = new(StringComparer.Ordinal);
    private byte[] _config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}"u8.ToArray();
    private string _configMediaType = ConfigMediaType;
    private JsonObject? _subject;
    private string? _artifactType;

    /// <summary>The config first, then the layers: every blob the manifest names.</summary>
    public IReadOnlyList<byte[]> Blobs => [_config, .. _layers];

    public byte[] ConfigBytes => _config;

    public ManifestBuilder Config(byte[] content, string mediaType = ConfigMediaType)
    {
        _config = content;
        _configMediaType = mediaType;
        return this;
    }

    public ManifestBuilder Layer(byte[] content)
    {
        _layers.Add(content);
        return this;
    }

    public ManifestBuilder Subject(Digest digest, long size, string mediaType = MediaTypes.OciManifest)
    {
        _subject = Descriptor(mediaType, digest, size);
        return this;
    }

    public ManifestBuilder ArtifactType(string artifactType)
    {
        _artifactType = artifactType;
        return this;
    }

    public ManifestBuilder Annotation(string key, string value)
    {
        _annotations[key] = value;
        return this;
    }

    public byte[] Build()
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = Descriptor(_configMediaType, _config),
            ["layers"] = new JsonArray([.. _layers.Select(layer => (JsonNode)Descriptor(LayerMediaType, layer))]),
        };
        AddOptional(manifest);
        return Serialize(manifest);
    }

    /// <summary>An OCI index of the given child manifests.</summary>
    public static byte[] Index(params IEnumerable<byte[]> children)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = new JsonArray([.. children.Select(child => (JsonNode)Descriptor(MediaTypes.OciManifest, child))]),
        };
        return Serialize(index);
    }

    public static JsonObject Descriptor(string mediaType, byte[] content) => Descriptor(mediaType, Digest.Compute(content), content.Length);

    public static JsonObject Descriptor(string mediaType, Digest digest, long size) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = digest.ToString(),
        ["size"] = size,
    };

    private void AddOptional(JsonObject manifest)
    {
        if (_artifactType is not null)
        {
            manifest["artifactType"] = _artifactType;
        }

        if (_subject is not null)
        {
            manifest["subject"] = _subject.DeepClone();
        }

        if (_annotations.Count > 0)
        {
            manifest["annotations"] = new JsonObject([.. _annotations.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]);
        }
    }

    private static byte[] Serialize(JsonObject node) => JsonSerializer.SerializeToUtf8Bytes(node);
}
