using Berth.Core;

namespace Berth.Storage.Usage;

/// <summary>The storage one repository uses, as the last mark of garbage collection found it.</summary>
/// <param name="UniqueBytes">Blobs (layers, configs, manifests) no other repository references: what deleting this
/// repository and collecting garbage would free.</param>
/// <param name="SharedBytes">Blobs it references that other repositories reference too; each is stored once, so these
/// bytes are counted in every repository that uses them.</param>
public sealed record RepositoryUsage(RepositoryName Repository, long UniqueBytes, long SharedBytes)
{
    /// <summary>Every byte the repository's images need, each blob once.</summary>
    public long TotalBytes => UniqueBytes + SharedBytes;
}
