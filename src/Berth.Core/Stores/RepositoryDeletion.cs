namespace Berth.Core.Stores;

/// <summary>What a whole-repository deletion removed, so decorators can report each tag and manifest.</summary>
/// <param name="Tags">The tags the repository had.</param>
/// <param name="Manifests">The manifests (revisions) the repository had; their content stays for garbage collection.</param>
public sealed record RepositoryDeletion(IReadOnlyList<Tag> Tags, IReadOnlyList<Digest> Manifests);
