using Berth.Core.Manifests;

namespace Berth.Events;

/// <summary>
/// What <c>notifications.events.includereferences</c> lists, as registry's <c>Manifest.References()</c>: an image
/// manifest's config then its layers, an index's manifests. The subject is not among them, as in registry.
/// </summary>
internal static class ManifestReferences
{
    public static IReadOnlyList<EventDescriptor> Of(Manifest manifest)
    {
        var list = new List<EventDescriptor>(manifest.Layers.Count + manifest.Manifests.Count + 1);
        if (manifest.Config is { } config)
        {
            list.Add(Of(config));
        }

        list.AddRange(manifest.Layers.Select(Of));
        list.AddRange(manifest.Manifests.Select(Of));
        return list;
    }

    private static EventDescriptor Of(Descriptor descriptor) => new(descriptor.MediaType, descriptor.Digest.ToString(), descriptor.Size);
}
