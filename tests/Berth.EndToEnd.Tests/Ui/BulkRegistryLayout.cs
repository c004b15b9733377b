using System.Text;
using System.Text.Json.Nodes;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// Writes repositories straight into a registry:2 tree on disk, before berth starts: thousands of repositories
/// and tags in seconds, where pushing them would take many minutes. One config and one layer serve every image.
/// </summary>
internal sealed class BulkRegistryLayout
{
    private readonly string _root;
    private readonly string _configDigest;
    private readonly string _layerDigest;
    private readonly JsonObject _configDescriptor;
    private readonly JsonObject _layerDescriptor;

    public BulkRegistryLayout(string root)
    {
        _root = root;
        var config = UiSamples.WebImage("bulk");
        _configDigest = WriteBlob(config.Blobs[0]);
        _layerDigest = WriteBlob(config.Blobs[1]);
        _configDescriptor = OciArtifact.Describe(OciImageLayout.ConfigMediaType, config.Blobs[0]);
        _layerDescriptor = OciArtifact.Describe(OciImageLayout.LayerMediaType, config.Blobs[1]);
    }

    /// <summary>Stores a manifest over the shared config and layer, told apart by a version annotation; returns its digest.</summary>
    public string WriteManifest(string version)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciImageLayout.ManifestMediaType,
            ["config"] = _configDescriptor.DeepClone(),
            ["layers"] = new JsonArray(_layerDescriptor.DeepClone()),
            ["annotations"] = new JsonObject { ["org.opencontainers.image.version"] = version },
        };
        return WriteBlob(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    /// <summary>Links the shared config and layer into <paramref name="repository"/>, as a push would.</summary>
    public void LinkBlobs(string repository)
    {
        WriteLink(RegistryLayout.LayerLink(_root, repository, _configDigest), _configDigest);
        WriteLink(RegistryLayout.LayerLink(_root, repository, _layerDigest), _layerDigest);
    }

    /// <summary>Tags <paramref name="manifestDigest"/>: its revision link, the tag's current link and its index entry.</summary>
    public void Tag(string repository, string tag, string manifestDigest)
    {
        WriteLink(RegistryLayout.RevisionLink(_root, repository, manifestDigest), manifestDigest);
        var tagLink = RegistryLayout.TagLink(_root, repository, tag);
        WriteLink(tagLink, manifestDigest);
        var tagFolder = Path.GetDirectoryName(Path.GetDirectoryName(tagLink)!)!;
        WriteLink(Path.Combine(tagFolder, "index", "sha256", OciImageLayout.Hex(manifestDigest), "link"), manifestDigest);
    }

    private string WriteBlob(byte[] content)
    {
        var digest = OciImageLayout.DigestOf(content);
        var path = RegistryLayout.BlobData(_root, digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return digest;
    }

    /// <summary>A link holds <c>sha256:HEX</c> and no newline, as registry:2 writes it.</summary>
    private static void WriteLink(string path, string digest)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, digest);
    }
}
