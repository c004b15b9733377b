using System.Text;
using System.Text.Json.Nodes;

namespace Berth.TestKit;

/// <summary>
/// A multi-platform image in an OCI layout: one image per architecture and an OCI image index over them, tagged in
/// index.json. <c>skopeo copy --all</c> pushes the index and every image; a pull picks one by platform.
/// </summary>
public sealed class OciIndexLayout
{
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";

    private OciIndexLayout(string directory, string tag, byte[] indexBytes, IReadOnlyDictionary<string, OciImageLayout> images)
    {
        Directory = directory;
        Tag = tag;
        IndexBytes = indexBytes;
        IndexDigest = OciImageLayout.DigestOf(indexBytes);
        Images = images;
    }

    public string Directory { get; }

    public string Tag { get; }

    public string Reference => $"oci:{Directory}:{Tag}";

    public byte[] IndexBytes { get; }

    public string IndexDigest { get; }

    /// <summary>The images by architecture (amd64, arm64, ...).</summary>
    public IReadOnlyDictionary<string, OciImageLayout> Images { get; }

    public static OciIndexLayout Create(string directory, string tag, params string[] architectures)
    {
        var images = architectures.ToDictionary(architecture => architecture,
            architecture => OciImageLayout.WriteImage(directory, architecture, 64 * 1024));
        var manifests = new JsonArray();
        foreach (var (architecture, image) in images)
        {
            var descriptor = OciImageLayout.Descriptor(OciImageLayout.ManifestMediaType, image.ManifestDigest, image.ManifestBytes.Length);
            descriptor["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" };
            manifests.Add(descriptor);
        }

        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = IndexMediaType, ["manifests"] = manifests };
        var indexBytes = Encoding.UTF8.GetBytes(index.ToJsonString());
        OciImageLayout.WriteBlob(directory, indexBytes);
        OciImageLayout.WriteIndexJson(directory, tag, IndexMediaType, indexBytes);
        return new OciIndexLayout(directory, tag, indexBytes, images);
    }
}
