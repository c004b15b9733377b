using Berth.Core;
using Berth.Storage.Drivers;

namespace Berth.Storage.Layout;

/// <summary>
/// The registry:2 on-disk layout, the one place that knows it. Under <c>docker/registry/v2/</c>:
/// <code>
/// blobs/&lt;alg&gt;/&lt;first 2 hex&gt;/&lt;hex&gt;/data                         content, shared by all repositories
/// repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;/link                   blob linked into the repository
/// repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link      manifest present in the repository
/// repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/current/link          tag -> manifest digest
/// repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link   every digest the tag named
/// repositories/&lt;name&gt;/_uploads/&lt;uuid&gt;/data                        upload in progress
/// repositories/&lt;name&gt;/_uploads/&lt;uuid&gt;/startedat                   RFC 3339 start time
/// repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;subject hex&gt;/&lt;alg&gt;/&lt;hex&gt;/link   Berth's referrers index
/// </code>
/// A link file holds <c>sha256:&lt;hex&gt;</c> with no newline. registry:2 skips folders starting with <c>_</c>
/// that it does not know, so <c>_referrers</c> is invisible to it.
/// </summary>
public static class RegistryPaths
{
    public static StoragePath V2 { get; } = StoragePath.Root.Append("docker", "registry", "v2");

    public static StoragePath Repositories { get; } = V2.Append("repositories");

    public const string LayersFolder = "_layers";

    public const string UploadsFolder = "_uploads";
    public const string ManifestsFolder = "_manifests";

    public static StoragePath BlobData(Digest digest) => V2.Append("blobs", digest.Algorithm, digest.Hex[..2], digest.Hex, "data");

    /// <summary>The digest whose content <paramref name="path"/> is (<see cref="BlobData"/>), if it is one.</summary>
    public static bool TryParseBlobData(StoragePath path, out Digest digest)
    {
        digest = default;
        var segments = path.Value.Split('/');
        return segments is ["docker", "registry", "v2", "blobs", var algorithm, var prefix, var hex, "data"]
            && Digest.TryParse(algorithm + ":" + hex, out digest) && hex.StartsWith(prefix, StringComparison.Ordinal) && prefix.Length == 2;
    }

    public static StoragePath Repository(RepositoryName name) => Repositories.Append(name.Value.Split('/'));

    public static StoragePath LayerLinkFolder(RepositoryName name, Digest digest) =>
        Repository(name).Append(LayersFolder, digest.Algorithm, digest.Hex);

    public static StoragePath LayerLink(RepositoryName name, Digest digest) => LayerLinkFolder(name, digest).Append("link");

    public static StoragePath RevisionLinkFolder(RepositoryName name, Digest digest) =>
        Repository(name).Append(ManifestsFolder, "revisions", digest.Algorithm, digest.Hex);

    public static StoragePath RevisionLink(RepositoryName name, Digest digest) => RevisionLinkFolder(name, digest).Append("link");

    public static StoragePath Tags(RepositoryName name) => Repository(name).Append(ManifestsFolder, "tags");

    public static StoragePath Tag(RepositoryName name, Tag tag) => Tags(name).Append(tag.Value);

    public static StoragePath TagCurrentLink(RepositoryName name, Tag tag) => Tag(name, tag).Append("current", "link");

    public static StoragePath TagIndexLink(RepositoryName name, Tag tag, Digest digest) =>
        Tag(name, tag).Append("index", digest.Algorithm, digest.Hex, "link");

    public static StoragePath Upload(RepositoryName name, UploadId id) => Repository(name).Append(UploadsFolder, id.Value);

    public static StoragePath UploadData(RepositoryName name, UploadId id) => Upload(name, id).Append("data");

    public static StoragePath UploadStartedAt(RepositoryName name, UploadId id) => Upload(name, id).Append("startedat");

    public static StoragePath Referrers(RepositoryName name, Digest subject) =>
        Repository(name).Append("_referrers", subject.Algorithm, subject.Hex);

    public static StoragePath ReferrerLink(RepositoryName name, Digest subject, Digest referrer) =>
        Referrers(name, subject).Append(referrer.Algorithm, referrer.Hex, "link");
}
