namespace Berth.Core.Manifests;

/// <summary>An OCI content descriptor: what a manifest points at, and what the referrers API lists.</summary>
/// <param name="Urls">Where a client may fetch the content instead of this registry (foreign and non-distributable layers).</param>
/// <param name="Platform">The platform of an index entry, when it names one.</param>
public sealed record Descriptor(
    string MediaType,
    Digest Digest,
    long Size,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    IReadOnlyList<string>? Urls = null,
    Platform? Platform = null)
{
    public bool HasUrls => Urls is { Count: > 0 };
}
