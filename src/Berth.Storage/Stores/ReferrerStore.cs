using Berth.Core;
using Berth.Core.Manifests;
using Berth.Core.Stores;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// Referrers from Berth's index (<c>_referrers/&lt;alg&gt;/&lt;subject&gt;/&lt;alg&gt;/&lt;hex&gt;/link</c>), written when a
/// manifest with a subject is pushed. Each entry is checked against the repository's revisions, so a manifest
/// deleted by any means is never listed.
/// </summary>
internal sealed class ReferrerStore(StoreContext context, RepositoryName name, ManifestStore manifests) : IReferrerStore
{
    public async Task<IReadOnlyList<Descriptor>> ListAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var referrers = new List<Descriptor>();
        await foreach (var algorithm in context.Driver.ListAsync(RegistryPaths.Referrers(name, subject), cancellationToken))
        {
            await foreach (var entry in context.Driver.ListAsync(algorithm.Path, cancellationToken))
            {
                if (!Digest.TryParse(algorithm.Path.Name + ":" + entry.Path.Name, out var digest)
                    || await context.Driver.StatAsync(RegistryPaths.RevisionLink(name, digest), cancellationToken) is null
                    || await manifests.LoadAsync(digest, cancellationToken) is not { } referrer
                    || referrer.Manifest.Subject?.Digest != subject)
                {
                    continue;
                }

                var type = referrer.Manifest.EffectiveArtifactType;
                if (artifactType is null || type == artifactType)
                {
                    referrers.Add(new Descriptor(referrer.MediaType, digest, referrer.Bytes.Length, type, referrer.Manifest.Annotations));
                }
            }
        }

        referrers.Sort((a, b) => string.CompareOrdinal(a.Digest.ToString(), b.Digest.ToString()));
        return referrers;
    }
}
