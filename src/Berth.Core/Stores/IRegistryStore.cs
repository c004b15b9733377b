namespace Berth.Core.Stores;

/// <summary>The whole registry: its repositories and the catalog of their names.</summary>
public interface IRegistryStore
{
    IRepository Repository(RepositoryName name);

    ICatalog Catalog { get; }
}
