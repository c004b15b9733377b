namespace Berth.Core.Manifests;

/// <summary>An OCI content descriptor: what a manifest points at, and what the referrers API lists.</summary>
public sealed record Descriptor(
    string MediaType,
    Digest Digest,
    long Size,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    bool HasUrls = false);
