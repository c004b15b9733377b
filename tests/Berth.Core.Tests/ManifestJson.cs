using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Manifests;

namespace Berth.Core.Tests;

/// <summary>
/// Builds realistic manifest documents as mutable JSON, so each test starts from a valid manifest and breaks
/// exactly one thing.
/// </summary>
internal static class ManifestJson
{
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string SbomType = "application/spdx+json";

    /// <summary>A descriptor whose digest is the real sha256 of <paramref name="content"/>.</summary>
    public static JsonObject Descriptor(string mediaType, string content) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = DigestOf(content).ToString(),
        ["size"] = Encoding.UTF8.GetByteCount(content),
    };

    public static Digest DigestOf(string content) => Digest.Compute(Encoding.UTF8.GetBytes(content));

    public static JsonObject OciImage() => Image(MediaTypes.OciManifest, ImageConfig, OciLayer);

    public static JsonObject DockerImage() => Image(MediaTypes.DockerManifest, DockerConfig, DockerLayer);

    public static JsonObject OciIndex() => Index(MediaTypes.OciIndex, MediaTypes.OciManifest);

    public static JsonObject DockerList() => Index(MediaTypes.DockerManifestList, MediaTypes.DockerManifest);

    /// <summary>The sample document of one of the four stored manifest types.</summary>
    public static JsonObject Of(string mediaType) => mediaType switch
    {
        MediaTypes.OciManifest => OciImage(),
        MediaTypes.DockerManifest => DockerImage(),
        MediaTypes.OciIndex => OciIndex(),
        MediaTypes.DockerManifestList => DockerList(),
        _ => throw new ArgumentOutOfRangeException(nameof(mediaType), mediaType, "no sample for this type"),
    };

    /// <summary>An SBOM attached to an image: artifactType, the empty config, a subject and annotations.</summary>
    public static JsonObject Artifact(string subjectContent) => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciManifest,
        ["artifactType"] = SbomType,
        ["config"] = Descriptor(MediaTypes.OciEmpty, "{}"),
        ["layers"] = new JsonArray(Descriptor(SbomType, "{\"spdxVersion\":\"SPDX-2.3\"}")),
        ["subject"] = Descriptor(MediaTypes.OciManifest, subjectContent),
        ["annotations"] = new JsonObject
        {
            ["org.opencontainers.image.created"] = "2024-05-01T12:00:00Z",
            ["org.example.kind"] = "sbom",
        },
    };

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static JsonObject Image(string mediaType, string configType, string layerType) => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = mediaType,
        ["config"] = Descriptor(configType, "{\"architecture\":\"amd64\",\"os\":\"linux\"}"),
        ["layers"] = new JsonArray(Descriptor(layerType, "layer one"), Descriptor(layerType, "layer two")),
    };

    private static JsonObject Index(string mediaType, string childType)
    {
        var amd64 = Descriptor(childType, "amd64 manifest");
        amd64["platform"] = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" };
        var arm64 = Descriptor(childType, "arm64 manifest");
        arm64["platform"] = new JsonObject { ["architecture"] = "arm64", ["os"] = "linux", ["variant"] = "v8" };
        return new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
            ["manifests"] = new JsonArray(amd64, arm64),
        };
    }
}
