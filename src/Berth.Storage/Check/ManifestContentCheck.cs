using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Storage.Drivers;
using Berth.Storage.Gc;
using Berth.Storage.Layout;

namespace Berth.Storage.Check;

/// <summary>
/// Checks one stored manifest of a repository: it parses, and what it names is there the way registry:2 serves it.
/// A config or layer must exist in <c>blobs/</c> and be linked under the repository's <c>_layers</c> (registry:2
/// answers a blob GET only through that link, so an unlinked layer pulls as BLOB_UNKNOWN); an index entry must exist
/// and be a manifest revision of the repository (registry:2 requires that at push, and serves children only
/// through revision links). A subject need not exist (the OCI spec lets referrers come first): its absence is a note.
/// Foreign and non-distributable layers with URLs live elsewhere and are not looked for.
/// </summary>
internal sealed class ManifestContentCheck(IStorageDriver driver, BlobPresence presence, IndexChildPolicy indexChildren)
{
    public async Task CheckAsync(RepositoryName name, Digest digest, byte[] bytes, List<IntegrityProblem> findings,
        CancellationToken cancellationToken)
    {
        var references = Read(digest, bytes, out var error);
        if (references is null)
        {
            findings.Add(new IntegrityProblem(name, IntegrityProblemKind.UnparseableManifest, RegistryPaths.BlobData(digest),
                $"manifest {digest} cannot be read: {error}"));
            return;
        }

        foreach (var (blob, role) in references.Blobs)
        {
            if (!await presence.ExistsAsync(blob, cancellationToken))
            {
                findings.Add(new IntegrityProblem(name, IntegrityProblemKind.MissingReferencedBlob, RegistryPaths.BlobData(blob),
                    $"the {role} {blob} of manifest {digest} is not in the blob store"));
            }
            else if (!(await LinkFile.ReadAsync(driver, RegistryPaths.LayerLink(name, blob), cancellationToken)).Names(blob))
            {
                findings.Add(new IntegrityProblem(name, IntegrityProblemKind.UnlinkedReference, RegistryPaths.LayerLink(name, blob),
                    $"the {role} {blob} of manifest {digest} exists but is not linked into {name}: pulls of it get BLOB_UNKNOWN"));
            }
        }

        foreach (var child in references.Children)
        {
            if (!await presence.ExistsAsync(child, cancellationToken))
            {
                findings.Add(new IntegrityProblem(name, IntegrityProblemKind.MissingReferencedBlob, RegistryPaths.BlobData(child),
                    $"the index entry {child} of manifest {digest} is not in the blob store"));
            }
            else if (!await IsRevisionAsync(name, child, cancellationToken))
            {
                findings.Add(new IntegrityProblem(name, IntegrityProblemKind.UnlinkedReference, RegistryPaths.RevisionLink(name, child),
                    $"the index entry {child} of manifest {digest} exists but is not a manifest of {name}: pulls of it get MANIFEST_UNKNOWN"));
            }
        }

        if (references.Subject is { } subject && !await IsRevisionAsync(name, subject, cancellationToken))
        {
            findings.Add(new IntegrityProblem(name, IntegrityProblemKind.MissingSubject, RegistryPaths.RevisionLink(name, subject),
                $"manifest {digest} refers to subject {subject}, which is not a manifest of {name} (allowed: a referrer may come first)"));
        }
    }

    private async Task<bool> IsRevisionAsync(RepositoryName name, Digest digest, CancellationToken cancellationToken) =>
        (await LinkFile.ReadAsync(driver, RegistryPaths.RevisionLink(name, digest), cancellationToken)).Names(digest);

    /// <summary>What the manifest names, or null (with the reason) when it is no manifest either registry reads.</summary>
    private References? Read(Digest digest, byte[] bytes, out string? error)
    {
        error = null;
        try
        {
            // Strict, unlike the stores' ParseStored: a stored document that would be refused at push is corrupt.
            var manifest = ManifestParser.Parse(bytes, contentType: null);
            if (manifest.IsIndex)
            {
                return new References([], [.. manifest.Manifests.Where(indexChildren.MustExist).Select(child => child.Digest)],
                    manifest.Subject?.Digest);
            }

            var blobs = new List<(Digest, string)>();
            if (manifest.Config is { } config)
            {
                blobs.Add((config.Digest, "config"));
            }

            blobs.AddRange(manifest.Layers
                .Where(layer => !(layer.HasUrls && MediaTypes.IsNonDistributableLayer(layer.MediaType)))
                .Select(layer => (layer.Digest, "layer")));
            return new References(blobs, [], manifest.Subject?.Digest);
        }
        catch (RegistryException e)
        {
            if (Schema1Layers(digest, bytes) is { } layers)
            {
                // Refused at push today, but an old registry:2 folder may hold some: their layers are still served.
                return new References([.. layers.Select(layer => (layer, "layer"))], [], null);
            }

            error = e.Detail is null ? e.Message : $"{e.Message}: {e.Detail}";
            return null;
        }
    }

    /// <summary>The layers of a Docker schema1 manifest, read as the garbage collector reads them; null if it is none.</summary>
    private static IReadOnlyList<Digest>? Schema1Layers(Digest digest, byte[] bytes)
    {
        if (!MediaTypes.IsSchema1(ManifestParser.ParseStored(bytes).MediaType))
        {
            return null;
        }

        try
        {
            return [.. ManifestReferences.Read(digest, bytes).Blobs.Select(blob => blob.Key.ToDigest())];
        }
        catch (GarbageCollectionException)
        {
            return null;
        }
    }

    private sealed record References(IReadOnlyList<(Digest Digest, string Role)> Blobs, IReadOnlyList<Digest> Children, Digest? Subject);
}
