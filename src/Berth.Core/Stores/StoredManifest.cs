using Berth.Core.Manifests;

namespace Berth.Core.Stores;

/// <summary>A manifest as stored: its exact bytes, their digest and the parsed view.</summary>
public sealed record StoredManifest(Digest Digest, ReadOnlyMemory<byte> Bytes, Manifest Manifest)
{
    public string MediaType => Manifest.MediaType;
}
