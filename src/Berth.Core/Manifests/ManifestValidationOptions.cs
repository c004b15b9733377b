namespace Berth.Core.Manifests;

/// <summary>
/// The <c>validation</c> section as the manifest rules use it. The defaults are registry:3's: layer URLs refused,
/// every index entry must exist.
/// </summary>
public sealed record ManifestValidationOptions
{
    public static ManifestValidationOptions Default { get; } = new();

    /// <summary><c>validation.disabled</c> in registry:3: any http(s) layer URL, and indexes may be sparse.</summary>
    public static ManifestValidationOptions Disabled { get; } =
        new() { Urls = ManifestUrlPolicy.AllowAny, IndexChildren = IndexChildPolicy.None };

    public ManifestUrlPolicy Urls { get; init; } = ManifestUrlPolicy.AllowNone;

    public IndexChildPolicy IndexChildren { get; init; } = IndexChildPolicy.All;
}
