using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>A manifest as one repository holds it: its revision link.</summary>
public sealed record ManifestRevision(RepositoryName Repository, Digest Digest)
{
    public override string ToString() => Repository.Value + "@" + Digest;
}
