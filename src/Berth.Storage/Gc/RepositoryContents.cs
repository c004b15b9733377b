using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Gc;

/// <summary>A manifest revision of a repository and what it references.</summary>
internal sealed record StoredRevision(Digest Digest, ManifestReferences References);

/// <summary>
/// What one repository holds that the mark phase needs: its manifest revisions (digest order, as registry:2 walks
/// them), its tags and the digests they currently point at (<see cref="Targets"/>: by tag, for retention).
/// </summary>
internal sealed record RepositoryContents(RepositoryName Name, IReadOnlyList<StoredRevision> Revisions, IReadOnlyList<Tag> Tags,
    IReadOnlyDictionary<Tag, Digest> Targets)
{
    public IReadOnlySet<Digest> Tagged { get; } = Targets.Values.ToHashSet();

    /// <param name="references">Reads a manifest's references by digest (shared across repositories, so cached).</param>
    public static async Task<RepositoryContents> ReadAsync(IStorageDriver driver, RepositoryName name,
        Func<Digest, CancellationToken, Task<ManifestReferences?>> references, CancellationToken cancellationToken)
    {
        var revisions = new List<StoredRevision>();
        await foreach (var (digest, folder) in GcPaths.DigestFoldersAsync(driver, GcPaths.Revisions(name), cancellationToken))
        {
            // Like registry:2: a revision counts when its link names it and its content exists; others are skipped,
            // neither marked nor removed.
            if (await driver.ReadAsync(folder.Append("link"), cancellationToken) == digest
                && await references(digest, cancellationToken) is { } found)
            {
                revisions.Add(new StoredRevision(digest, found));
            }
        }

        revisions.Sort((a, b) => string.CompareOrdinal(a.Digest.ToString(), b.Digest.ToString()));
        var tags = new List<Tag>();
        var targets = new Dictionary<Tag, Digest>();
        await foreach (var entry in driver.ListAsync(RegistryPaths.Tags(name), cancellationToken))
        {
            if (entry.IsDirectory && Tag.TryParse(entry.Path.Name, out var tag))
            {
                tags.Add(tag);
                if (await driver.ReadAsync(RegistryPaths.TagCurrentLink(name, tag), cancellationToken) is { } current)
                {
                    targets[tag] = current;
                }
            }
        }

        return new RepositoryContents(name, revisions, tags, targets);
    }
}
