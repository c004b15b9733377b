using Berth.Core.Errors;

namespace Berth.Core.Manifests;

/// <summary>What must already be in a repository before a manifest can be put there.</summary>
/// <param name="Blobs">Config and layer blobs.</param>
/// <param name="Manifests">Index entries.</param>
public sealed record ManifestDependencies(IReadOnlyList<Digest> Blobs, IReadOnlyList<Digest> Manifests)
{
    /// <summary>
    /// Applies the <c>validation</c> rules to a parsed manifest: every layer URL must pass <see cref="ManifestUrlPolicy"/>;
    /// a foreign or non-distributable layer that has URLs need not be held here, every other blob must; index
    /// entries must exist as <see cref="IndexChildPolicy"/> says.
    /// </summary>
    /// <exception cref="RegistryException">MANIFEST_INVALID: a URL is refused, or a Docker foreign layer has none.</exception>
    public static ManifestDependencies Of(Manifest manifest, ManifestValidationOptions options)
    {
        var blobs = new List<Digest>();
        IEnumerable<Descriptor> descriptors = manifest.Config is { } config ? [config, .. manifest.Layers] : manifest.Layers;
        foreach (var descriptor in descriptors)
        {
            CheckUrls(descriptor, options.Urls);
            if (!(descriptor.HasUrls && MediaTypes.IsNonDistributableLayer(descriptor.MediaType)))
            {
                blobs.Add(descriptor.Digest);
            }
        }

        var children = manifest.Manifests.Where(options.IndexChildren.MustExist).Select(child => child.Digest).ToList();
        return new ManifestDependencies(blobs, children);
    }

    private static void CheckUrls(Descriptor descriptor, ManifestUrlPolicy policy)
    {
        if (descriptor.MediaType == MediaTypes.DockerForeignLayer && !descriptor.HasUrls)
        {
            // A foreign layer is one the registry does not hold: without URLs nobody could ever fetch it.
            throw new RegistryException(RegistryErrorCode.ManifestInvalid, "foreign layer without urls",
                $"layer {descriptor.Digest} is {MediaTypes.DockerForeignLayer} but names no URL to fetch it from");
        }

        foreach (var url in descriptor.Urls ?? [])
        {
            if (policy.Refusal(url) is { } reason)
            {
                throw new RegistryException(RegistryErrorCode.ManifestInvalid, "layer URL not accepted by this registry",
                    $"layer {descriptor.Digest} URL {url}: {reason}");
            }
        }
    }
}
