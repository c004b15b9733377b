using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Events.Stores;

/// <summary>The registry with events recorded for what its repositories do; installed only when an endpoint is configured.</summary>
internal sealed class EventingRegistryStore(IRegistryStore inner, EventRecorder recorder) : IRegistryStore
{
    public ICatalog Catalog => inner.Catalog;

    public IRepository Repository(RepositoryName name) => new EventingRepository(inner.Repository(name), recorder);

    /// <summary>
    /// One registry:2-style delete event per tag (repository and tag) and per manifest (repository and digest), as if
    /// each had been deleted on its own, so receivers need nothing new to follow a whole repository going away.
    /// </summary>
    public async Task<RepositoryDeletion?> DeleteRepositoryAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        var deletion = await inner.DeleteRepositoryAsync(name, cancellationToken);
        if (deletion is not null)
        {
            foreach (var tag in deletion.Tags)
            {
                await recorder.TagDeletedAsync(name, tag);
            }

            foreach (var manifest in deletion.Manifests)
            {
                await recorder.DeletedAsync(name, manifest);
            }
        }

        return deletion;
    }
}
