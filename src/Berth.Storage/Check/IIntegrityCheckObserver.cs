using Berth.Core;

namespace Berth.Storage.Check;

/// <summary>
/// Hears the check's findings as it goes, so a report can be printed repository by repository on a store that takes
/// hours to read, instead of all at the end.
/// </summary>
public interface IIntegrityCheckObserver
{
    /// <summary>One repository is done; <paramref name="findings"/> may be empty.</summary>
    Task RepositoryCheckedAsync(RepositoryName name, IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken);

    /// <summary>Every blob under <c>blobs/</c> is hashed; <paramref name="findings"/> are the corrupt ones.</summary>
    Task BlobsCheckedAsync(IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken);

    /// <summary>So far <paramref name="blobs"/> blobs of <paramref name="bytes"/> bytes in all are hashed.</summary>
    Task ProgressAsync(long blobs, long bytes, CancellationToken cancellationToken);
}
