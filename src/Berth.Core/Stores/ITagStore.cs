namespace Berth.Core.Stores;

/// <summary>The tags of one repository.</summary>
public interface ITagStore
{
    /// <returns>All tags in ordinal order, or null if the repository does not exist.</returns>
    Task<IReadOnlyList<string>?> ListAsync(CancellationToken cancellationToken);
}
