using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Gc;
using Berth.Storage.Layout;

namespace Berth.Storage.Check;

/// <summary>
/// Checks the links of one repository: manifest revisions (and the manifests they hold, through
/// <see cref="ManifestContentCheck"/>), tags with their history, and <c>_layers</c>. Walks one folder at a time and
/// keeps nothing of the repository but its findings. <c>_uploads</c> (work in progress) and Berth's own
/// <c>_referrers</c> index (filtered on every read) are not checked.
/// </summary>
internal sealed class RepositoryChecker(IStorageDriver driver, BlobPresence presence, ManifestContentCheck manifests,
    IntegrityCheckOptions options, RepositoryName name)
{
    /// <summary>
    /// Larger than any manifest either registry accepts (both stop at 4 MiB): a revision link naming a multi-gigabyte
    /// layer must not be read into memory to find out it is no manifest.
    /// </summary>
    private const long MaxManifestBytes = 16 * 1024 * 1024;

    private readonly List<IntegrityProblem> _findings = [];

    public async Task<IReadOnlyList<IntegrityProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        await CheckRevisionsAsync(cancellationToken);
        await CheckTagsAsync(cancellationToken);
        await CheckLayerLinksAsync(cancellationToken);
        return _findings;
    }

    private async Task CheckRevisionsAsync(CancellationToken cancellationToken)
    {
        await foreach (var (digest, folder) in GcPaths.DigestFoldersAsync(driver, GcPaths.Revisions(name), cancellationToken))
        {
            var link = folder.Append("link");
            if (!await IsWellFormedAsync(link, digest, cancellationToken))
            {
                continue;
            }

            var content = RegistryPaths.BlobData(digest);
            var entry = await driver.StatAsync(content, cancellationToken);
            if (entry is not { IsDirectory: false })
            {
                Add(IntegrityProblemKind.MissingBlob, link, $"manifest {digest} is in {name}, but its content {content} is gone");
            }
            else if (entry.Size > MaxManifestBytes)
            {
                Add(IntegrityProblemKind.UnparseableManifest, content, $"manifest {digest} is {entry.Size} bytes, too large to be a manifest");
            }
            else if (await driver.ReadAllAsync(content, cancellationToken) is { } bytes)
            {
                await manifests.CheckAsync(name, digest, bytes, _findings, cancellationToken);
            }
        }
    }

    private async Task CheckTagsAsync(CancellationToken cancellationToken)
    {
        await foreach (var entry in driver.ListAsync(RegistryPaths.Tags(name), cancellationToken))
        {
            if (entry.IsDirectory && Tag.TryParse(entry.Path.Name, out var tag))
            {
                await CheckCurrentAsync(tag, cancellationToken);
                await foreach (var (digest, folder) in GcPaths.DigestFoldersAsync(driver, RegistryPaths.Tag(name, tag).Append("index"), cancellationToken))
                {
                    // Only the form: registry:2 deletes a manifest by digest without touching other tags' history, so
                    // history naming a deleted manifest is normal and never read to serve anything.
                    await IsWellFormedAsync(folder.Append("link"), digest, cancellationToken);
                }
            }
        }
    }

    private async Task CheckCurrentAsync(Tag tag, CancellationToken cancellationToken)
    {
        var current = RegistryPaths.TagCurrentLink(name, tag);
        var link = await LinkFile.ReadAsync(driver, current, cancellationToken);
        if (link.Target is not { } target)
        {
            Add(IntegrityProblemKind.MalformedLink, current, link.Exists
                ? $"tag {tag} holds '{link.Text}', which is no digest"
                : $"tag {tag} has no current link: it is listed but cannot be pulled");
            return;
        }

        var why = !(await LinkFile.ReadAsync(driver, RegistryPaths.RevisionLink(name, target), cancellationToken)).Names(target)
            ? $"tag {tag} points at {target}, which is not a manifest of {name}"
            : !await presence.ExistsAsync(target, cancellationToken)
                ? $"tag {tag} points at {target}, whose content is gone"
                : null;
        if (why is not null)
        {
            // The whole tag folder, as registry:2's untag removes it: a folder left without current/link would still
            // be listed by tags/list.
            await AddDanglingAsync(IntegrityProblemKind.DanglingTag, current, why, RegistryPaths.Tag(name, tag), cancellationToken);
        }
    }

    private async Task CheckLayerLinksAsync(CancellationToken cancellationToken)
    {
        var layers = RegistryPaths.Repository(name).Append(RegistryPaths.LayersFolder);
        await foreach (var (digest, folder) in GcPaths.DigestFoldersAsync(driver, layers, cancellationToken))
        {
            var link = folder.Append("link");
            if (await IsWellFormedAsync(link, digest, cancellationToken) && !await presence.ExistsAsync(digest, cancellationToken))
            {
                // Reported although harmless (the link reads as absent), so that a clean store means every link holds;
                // garbage-collect, registry:2's too, leaves exactly these behind when it sweeps a blob.
                await AddDanglingAsync(IntegrityProblemKind.DanglingLayerLink, link,
                    $"layer link {digest} names content that is gone (garbage-collect leaves these when it sweeps a blob; pulls read it as absent)",
                    folder, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Whether the link in a <c>&lt;alg&gt;/&lt;hex&gt;</c> folder names that digest. A folder without a link reads as
    /// absent to registry:2 and is not reported; a link with other content is.
    /// </summary>
    private async Task<bool> IsWellFormedAsync(StoragePath link, Digest expected, CancellationToken cancellationToken)
    {
        var file = await LinkFile.ReadAsync(driver, link, cancellationToken);
        if (file.Exists && !file.Names(expected))
        {
            Add(IntegrityProblemKind.MalformedLink, link, $"holds '{file.Text}' where {expected} belongs");
        }

        return file.Names(expected);
    }

    private void Add(IntegrityProblemKind kind, StoragePath path, string detail) => _findings.Add(new IntegrityProblem(name, kind, path, detail));

    /// <summary>Records a dangling link and, with --repair-links, removes <paramref name="remove"/> (never blob data).</summary>
    private async Task AddDanglingAsync(IntegrityProblemKind kind, StoragePath link, string detail, StoragePath remove,
        CancellationToken cancellationToken)
    {
        if (options.RepairLinks)
        {
            await (options.RepairDriver ?? driver).DeleteAsync(remove, cancellationToken);
        }

        _findings.Add(new IntegrityProblem(name, kind, link, detail, options.RepairLinks ? remove : null));
    }
}
