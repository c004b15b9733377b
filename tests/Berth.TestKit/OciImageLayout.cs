using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.TestKit;

/// <summary>
/// An OCI image layout written by the tests themselves (no network, no daemon): random-content layers as tar.gz,
/// an image config whose diff_ids match them, an OCI manifest and an index.json naming it by tag. skopeo and
/// podman read it as <c>oci:PATH:TAG</c>; every image is unique, so no test sees another test's blobs.
/// </summary>
public sealed record OciImageLayout
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";

    private OciImageLayout(string directory, string tag, byte[] manifest, string configDigest, IReadOnlyList<string> layerDigests)
    {
        Directory = directory;
        Tag = tag;
        ManifestBytes = manifest;
        ManifestDigest = DigestOf(manifest);
        ConfigDigest = configDigest;
        LayerDigests = layerDigests;
    }

    public string Directory { get; }

    public string Tag { get; init; }

    /// <summary>The skopeo/podman transport reference: <c>oci:PATH:TAG</c>.</summary>
    public string Reference => $"oci:{Directory}:{Tag}";

    public byte[] ManifestBytes { get; }

    public string ManifestDigest { get; }

    public string ConfigDigest { get; }

    public IReadOnlyList<string> LayerDigests { get; }

    /// <summary>Writes a layout with one random file per layer (sizes in bytes) into <paramref name="directory"/>.</summary>
    public static OciImageLayout Create(string directory, string tag = "latest", params int[] layerSizes)
    {
        var image = WriteImage(directory, "amd64", layerSizes);
        WriteIndexJson(directory, tag, ManifestMediaType, image.ManifestBytes);
        return image with { Tag = tag };
    }

    /// <summary>
    /// Writes the blobs of one image (no index.json): for layouts holding several images, such as an image index.
    /// </summary>
    public static OciImageLayout WriteImage(string directory, string architecture, params int[] layerSizes)
    {
        if (layerSizes.Length == 0)
        {
            layerSizes = [256 * 1024, 32 * 1024];
        }

        System.IO.Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        var layers = new List<(string Digest, long Size, string DiffId)>();
        for (var i = 0; i < layerSizes.Length; i++)
        {
            var (compressed, uncompressed) = RandomLayer($"layer{i}/random.bin", layerSizes[i]);
            layers.Add((WriteBlob(directory, compressed), compressed.Length, DigestOf(uncompressed)));
        }

        var config = ConfigBytes(architecture, layers.Select(layer => layer.DiffId));
        var configDigest = WriteBlob(directory, config);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor(ConfigMediaType, configDigest, config.Length),
            ["layers"] = new JsonArray([.. layers.Select(layer => Descriptor(LayerMediaType, layer.Digest, layer.Size))]),
        };
        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        WriteBlob(directory, manifestBytes);
        return new OciImageLayout(directory, "", manifestBytes, configDigest, [.. layers.Select(layer => layer.Digest)]);
    }

    /// <summary>Names a manifest (image or index) by tag in the layout's index.json, as skopeo looks it up.</summary>
    public static void WriteIndexJson(string directory, string tag, string mediaType, byte[] manifestBytes)
    {
        var descriptor = Descriptor(mediaType, DigestOf(manifestBytes), manifestBytes.Length);
        descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        var index = new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(descriptor) };
        File.WriteAllText(Path.Combine(directory, "index.json"), index.ToJsonString());
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    /// <summary>The bytes of a blob of this layout.</summary>
    public byte[] ReadBlob(string digest) => ReadOciBlob(Directory, digest);

    /// <summary>The bytes of a blob in any OCI layout folder (for instance one skopeo wrote).</summary>
    public static byte[] ReadOciBlob(string layoutDirectory, string digest) =>
        File.ReadAllBytes(Path.Combine(layoutDirectory, "blobs", "sha256", Hex(digest)));

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of <paramref name="content"/>.</summary>
    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The hex part of a <c>sha256:</c> digest.</summary>
    public static string Hex(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : throw new ArgumentException("not a sha256 digest: " + digest);

    internal static JsonObject Descriptor(string mediaType, string digest, long size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };

    internal static string WriteBlob(string directory, byte[] content)
    {
        var digest = DigestOf(content);
        File.WriteAllBytes(Path.Combine(directory, "blobs", "sha256", Hex(digest)), content);
        return digest;
    }

    private static (byte[] Compressed, byte[] Uncompressed) RandomLayer(string fileName, int size)
    {
        var content = new byte[size];
        Random.Shared.NextBytes(content);
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                DataStream = new MemoryStream(content),
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            writer.WriteEntry(entry);
        }

        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(tar.ToArray());
        }

        return (gzip.ToArray(), tar.ToArray());
    }

    private static byte[] ConfigBytes(string architecture, IEnumerable<string> diffIds)
    {
        var config = new JsonObject
        {
            ["created"] = "2024-01-01T00:00:00Z",
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/sh") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. diffIds.Select(id => JsonValue.Create(id))]) },
        };
        return JsonSerializer.SerializeToUtf8Bytes(config);
    }
}
