using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// Why --delete-untagged keeps a manifest: a tag points at it (<see cref="KeptBy"/> null), or the kept manifest
/// <see cref="KeptBy"/> names it as a child (an index's platform image) or is its subject (it is a referrer).
/// </summary>
internal readonly record struct GcKeepReason(Digest? KeptBy, bool AsReferrer)
{
    public static GcKeepReason Tagged => default;
}
