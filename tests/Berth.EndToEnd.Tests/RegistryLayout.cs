using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Checks on the registry:2 folder layout, which Berth must write exactly so the reference registry can serve it
/// (and the reverse): <c>ROOT/docker/registry/v2/...</c>.
/// </summary>
internal static class RegistryLayout
{
    public static string V2(string root) => Path.Combine(root, "docker", "registry", "v2");

    public static string BlobData(string root, string digest)
    {
        var hex = OciImageLayout.Hex(digest);
        return Path.Combine(V2(root), "blobs", "sha256", hex[..2], hex, "data");
    }

    public static string TagLink(string root, string repository, string tag) =>
        Path.Combine(V2(root), "repositories", repository, "_manifests", "tags", tag, "current", "link");

    public static string LayerLink(string root, string repository, string digest) =>
        Path.Combine(V2(root), "repositories", repository, "_layers", "sha256", OciImageLayout.Hex(digest), "link");

    public static string RevisionLink(string root, string repository, string digest) =>
        Path.Combine(V2(root), "repositories", repository, "_manifests", "revisions", "sha256", OciImageLayout.Hex(digest), "link");

    /// <summary>
    /// The manifest, its config and layers are stored as registry:2 stores them: content under blobs/, a link per
    /// blob and revision in the repository, and the tag's current link holding exactly <c>sha256:HEX</c>.
    /// </summary>
    public static void AssertImageStored(string root, string repository, string tag, string manifestDigest, byte[] manifestBytes,
        IEnumerable<string> blobDigests)
    {
        var manifestData = BlobData(root, manifestDigest);
        Assert.True(File.Exists(manifestData), "manifest content missing at " + manifestData);
        Assert.Equal(manifestBytes, File.ReadAllBytes(manifestData));
        AssertLink(TagLink(root, repository, tag), manifestDigest);
        AssertLink(RevisionLink(root, repository, manifestDigest), manifestDigest);
        foreach (var digest in blobDigests)
        {
            var data = BlobData(root, digest);
            Assert.True(File.Exists(data), "blob content missing at " + data);
            Assert.Equal(digest, OciImageLayout.DigestOf(File.ReadAllBytes(data)));
            AssertLink(LayerLink(root, repository, digest), digest);
        }
    }

    /// <summary>A link file holds <c>sha256:HEX</c>, no newline: registry:2 compares the text as is.</summary>
    public static void AssertLink(string path, string digest)
    {
        Assert.True(File.Exists(path), "link missing at " + path);
        Assert.Equal(digest, File.ReadAllText(path));
    }
}
