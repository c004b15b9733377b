using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Gc;

/// <summary>The folders the collector walks and deletes, built on <see cref="RegistryPaths"/>.</summary>
internal static class GcPaths
{
    public static StoragePath Blobs { get; } = RegistryPaths.V2.Append("blobs");

    /// <summary><c>blobs/&lt;alg&gt;/&lt;2 hex&gt;/&lt;hex&gt;</c>: what registry:2's collector deletes for a blob.</summary>
    public static StoragePath BlobFolder(Digest digest) => RegistryPaths.BlobData(digest).Parent;

    public static StoragePath Revisions(RepositoryName name) => RegistryPaths.Repository(name).Append(RegistryPaths.ManifestsFolder, "revisions");

    /// <summary><c>tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;</c>: one entry of a tag's history.</summary>
    public static StoragePath TagIndexEntry(RepositoryName name, Tag tag, Digest digest) => RegistryPaths.TagIndexLink(name, tag, digest).Parent;

    /// <summary>Berth's <c>_referrers</c> entry of <paramref name="referrer"/> under its subject.</summary>
    public static StoragePath ReferrerEntry(RepositoryName name, Digest subject, Digest referrer) =>
        RegistryPaths.ReferrerLink(name, subject, referrer).Parent;

    /// <summary>Lists the digests of a <c>&lt;alg&gt;/&lt;hex&gt;</c> tree (revisions), skipping what is no digest.</summary>
    public static async IAsyncEnumerable<(Digest Digest, StoragePath Folder)> DigestFoldersAsync(IStorageDriver driver, StoragePath root,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var algorithm in driver.ListAsync(root, cancellationToken))
        {
            await foreach (var entry in driver.ListAsync(algorithm.Path, cancellationToken))
            {
                if (entry.IsDirectory && Digest.TryParse(algorithm.Path.Name + ":" + entry.Path.Name, out var digest))
                {
                    yield return (digest, entry.Path);
                }
            }
        }
    }
}
