using Berth.Core;
using Berth.Storage.Drivers;

namespace Berth.Storage.Check;

/// <summary>One finding of the integrity check.</summary>
/// <param name="Repository">The repository it belongs to; null for the shared blob store (a corrupt blob).</param>
/// <param name="Path">The exact storage path that is wrong (or, for missing content, where it should be).</param>
/// <param name="Detail">What is wrong, in words a person can act on.</param>
/// <param name="Removed">What --repair-links deleted for it (the link's folder, or the whole tag); null when nothing was.</param>
public sealed record IntegrityProblem(RepositoryName? Repository, IntegrityProblemKind Kind, StoragePath Path, string Detail,
    StoragePath? Removed = null)
{
    public bool Repaired => Removed is not null;
}
