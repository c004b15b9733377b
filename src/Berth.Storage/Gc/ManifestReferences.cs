using System.Text.Json;
using Berth.Core;
using Berth.Core.Manifests;

namespace Berth.Storage.Gc;

/// <summary>
/// What a stored manifest keeps alive, as registry:2's <c>References()</c> sees it: an image's config and layers,
/// an index's child manifests, each with the size its descriptor gives. <see cref="Children"/> and
/// <see cref="Subject"/> are what Berth's --delete-untagged needs besides.
/// </summary>
/// <param name="Size">The manifest's own bytes: its blob counts toward storage used like any other.</param>
internal sealed record ManifestReferences(long Size, IReadOnlyList<BlobReference> Blobs, IReadOnlyList<Digest> Children, Digest? Subject)
{
    /// <summary>Whether a blob's size must be read from storage: only a schema1 manifest's layers carry none.</summary>
    public bool HasUnknownSizes => Blobs.Any(blob => blob.Size == BlobReference.UnknownSize);

    /// <exception cref="GarbageCollectionException">The bytes are no manifest Berth can read.</exception>
    public static ManifestReferences Read(Digest digest, byte[] bytes)
    {
        var manifest = ManifestParser.ParseStored(bytes);
        if (manifest.IsIndex)
        {
            // A stored index that failed to parse reads as an empty one here; both registries refuse such an index
            // at push, so only a corrupted file could be one.
            return new ManifestReferences(bytes.Length, [.. manifest.Manifests.Select(Sized)], [.. manifest.Manifests.Select(child => child.Digest)],
                manifest.Subject?.Digest);
        }

        if (MediaTypes.IsImageManifest(manifest.MediaType) && manifest.Config is { } config)
        {
            return new ManifestReferences(bytes.Length, [Sized(config), .. manifest.Layers.Select(Sized)], [], manifest.Subject?.Digest);
        }

        if (MediaTypes.IsSchema1(manifest.MediaType) && Schema1Layers(bytes) is { } layers)
        {
            // Berth refuses schema1 pushes, but a registry:2 folder may still hold some: their layers stay in use.
            return new ManifestReferences(bytes.Length, [.. layers.Select(layer => new BlobReference(DigestKey.From(layer), BlobReference.UnknownSize))], [], null);
        }

        throw new GarbageCollectionException(
            $"cannot read manifest {digest} ({manifest.MediaType}), so cannot tell which blobs it uses; nothing was swept");
    }

    /// <summary>With the sizes of <see cref="BlobReference.UnknownSize"/> references filled in by <paramref name="size"/>.</summary>
    public async Task<ManifestReferences> WithSizesAsync(Func<DigestKey, Task<long>> size)
    {
        var blobs = new BlobReference[Blobs.Count];
        for (var i = 0; i < blobs.Length; i++)
        {
            var blob = Blobs[i];
            blobs[i] = blob.Size == BlobReference.UnknownSize ? blob with { Size = await size(blob.Key) } : blob;
        }

        return this with { Blobs = blobs };
    }

    private static BlobReference Sized(Descriptor descriptor) => new(DigestKey.From(descriptor.Digest), descriptor.Size);

    /// <summary>The <c>fsLayers[].blobSum</c> of a Docker schema1 manifest; null if they cannot be read.</summary>
    private static List<Digest>? Schema1Layers(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (!document.RootElement.TryGetProperty("fsLayers", out var fsLayers) || fsLayers.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var layers = new List<Digest>();
            foreach (var layer in fsLayers.EnumerateArray())
            {
                if (layer.ValueKind != JsonValueKind.Object || !layer.TryGetProperty("blobSum", out var sum)
                    || sum.ValueKind != JsonValueKind.String || !Digest.TryParse(sum.GetString(), out var blob))
                {
                    return null;
                }

                layers.Add(blob);
            }

            return layers;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
