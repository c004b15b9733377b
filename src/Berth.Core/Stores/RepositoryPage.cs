namespace Berth.Core.Stores;

/// <summary>One page of the catalog: the names, and whether more follow them.</summary>
public readonly record struct RepositoryPage(IReadOnlyList<string> Names, bool HasMore);
