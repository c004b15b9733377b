using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>What a descriptor points at: a blob or a manifest.</summary>
internal sealed record Content(string MediaType, byte[] Bytes)
{
    public string Digest { get; } = Digests.Sha256(Bytes);

    public long Size => Bytes.Length;

    public JsonObject Descriptor() => new()
    {
        ["mediaType"] = MediaType,
        ["digest"] = Digest,
        ["size"] = Size,
    };
}

/// <summary>Manifest documents of every kind Berth accepts (and a few it must refuse), as exact bytes.</summary>
internal static class TestManifests
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>The OCI empty config <c>{}</c>, used by artifacts.</summary>
    public static Content EmptyConfig { get; } = new(OciEmpty, "{}"u8.ToArray());

    public static Content Config(string mediaType = OciConfig) =>
        new(mediaType, Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","nonce":"{{Guid.NewGuid():N}}"}"""));

    public static Content Layer(string mediaType = OciLayer) => new(mediaType, Digests.RandomBytes(64));

    public static Content Image(Content config, IEnumerable<Content> layers, string mediaType = OciManifest,
        string? artifactType = null, Content? subject = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var document = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
        };
        if (artifactType is not null)
        {
            document["artifactType"] = artifactType;
        }

        document["config"] = config.Descriptor();
        document["layers"] = new JsonArray([.. layers.Select(layer => (JsonNode)layer.Descriptor())]);
        AddSubjectAndAnnotations(document, subject, annotations);
        return new Content(mediaType, Encoding.UTF8.GetBytes(document.ToJsonString()));
    }

    /// <summary>An artifact: empty config, one blob, an artifactType and optionally a subject it refers to.</summary>
    public static Content Artifact(string artifactType, Content blob, Content? subject,
        IReadOnlyDictionary<string, string>? annotations = null) =>
        Image(EmptyConfig, [blob], OciManifest, artifactType, subject, annotations);

    public static Content Index(IEnumerable<Content> children, string mediaType = OciIndex, Content? subject = null,
        string? artifactType = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var document = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
            ["manifests"] = new JsonArray([.. children.Select(child => (JsonNode)child.Descriptor())]),
        };
        if (artifactType is not null)
        {
            document["artifactType"] = artifactType;
        }

        AddSubjectAndAnnotations(document, subject, annotations);
        return new Content(mediaType, Encoding.UTF8.GetBytes(document.ToJsonString()));
    }

    /// <summary>A Docker schema1 manifest, which Berth refuses.</summary>
    public static Content Schema1() => new(DockerSchema1, Encoding.UTF8.GetBytes(
        """{"schemaVersion":1,"name":"x/y","tag":"latest","architecture":"amd64","fsLayers":[],"history":[],"signatures":[]}"""));

    private static void AddSubjectAndAnnotations(JsonObject document, Content? subject, IReadOnlyDictionary<string, string>? annotations)
    {
        if (subject is not null)
        {
            document["subject"] = subject.Descriptor();
        }

        if (annotations is not null)
        {
            var map = new JsonObject();
            foreach (var (key, value) in annotations)
            {
                map[key] = value;
            }

            document["annotations"] = map;
        }
    }
}
