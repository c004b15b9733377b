using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Check;

/// <summary>
/// Whether content exists under <c>blobs/</c>, by one Stat, remembering the last few thousand answers: a base layer
/// named by hundreds of manifests costs one Stat, not hundreds, and memory stays bounded however large the store.
/// The check never deletes blob data, so an answer never goes stale during a run.
/// </summary>
internal sealed class BlobPresence(IStorageDriver driver, int capacity = 4096)
{
    private readonly Dictionary<Digest, bool> _known = [];

    public async Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(digest, out var exists))
        {
            return exists;
        }

        exists = await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is { IsDirectory: false };
        if (_known.Count >= capacity)
        {
            // Forgetting everything at once is crude, but bounded and cheap: a forgotten answer costs one more Stat.
            _known.Clear();
        }

        _known[digest] = exists;
        return exists;
    }
}
