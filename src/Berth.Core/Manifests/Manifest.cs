namespace Berth.Core.Manifests;

/// <summary>
/// What Berth needs to know of a stored manifest. The bytes themselves are kept and served exactly as received;
/// this is only the parsed view used for validation, Content-Type and the referrers API.
/// </summary>
public sealed record Manifest(
    string MediaType,
    string? ArtifactType,
    Descriptor? Config,
    IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<Descriptor> Manifests,
    Descriptor? Subject,
    IReadOnlyDictionary<string, string>? Annotations)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The artifact type the referrers API reports: artifactType, else the config's media type.</summary>
    public string? EffectiveArtifactType => ArtifactType ?? (IsIndex ? null : Config?.MediaType);
}
