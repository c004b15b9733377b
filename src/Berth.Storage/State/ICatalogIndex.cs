using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;

namespace Berth.Storage.State;

/// <summary>
/// The catalog as the stores keep it: read from storage at start, told of each repository Berth writes. In process
/// (<see cref="RegistryState.InProcess"/>) for one node, in Redis for several.
/// </summary>
public interface ICatalogIndex : ICatalog
{
    /// <summary>Reads what storage already holds. Called once before serving.</summary>
    Task InitializeAsync(IStorageDriver driver, CancellationToken cancellationToken);

    /// <summary>Records a repository; called after the write that made it one is durable in storage.</summary>
    ValueTask AddAsync(RepositoryName name, CancellationToken cancellationToken);

    /// <summary>Forgets a repository; called after the deletion that ended it is done in storage, on every node's view.</summary>
    ValueTask RemoveAsync(RepositoryName name, CancellationToken cancellationToken);
}
