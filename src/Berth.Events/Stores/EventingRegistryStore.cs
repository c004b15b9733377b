using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Events.Stores;

/// <summary>The registry with events recorded for what its repositories do; installed only when an endpoint is configured.</summary>
internal sealed class EventingRegistryStore(IRegistryStore inner, EventRecorder recorder) : IRegistryStore
{
    public ICatalog Catalog => inner.Catalog;

    public IRepository Repository(RepositoryName name) => new EventingRepository(inner.Repository(name), recorder);
}
