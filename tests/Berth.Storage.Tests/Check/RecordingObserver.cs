using Berth.Core;
using Berth.Storage.Check;

namespace Berth.Storage.Tests.Check;

/// <summary>Remembers what the checker told it, in order.</summary>
internal sealed class RecordingObserver : IIntegrityCheckObserver
{
    public List<string> Events { get; } = [];

    public List<long> Progress { get; } = [];

    public Task RepositoryCheckedAsync(RepositoryName name, IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken)
    {
        Events.Add($"{name.Value}: {findings.Count}");
        return Task.CompletedTask;
    }

    public Task BlobsCheckedAsync(IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken)
    {
        Events.Add($"blobs: {findings.Count}");
        return Task.CompletedTask;
    }

    public Task ProgressAsync(long blobs, long bytes, CancellationToken cancellationToken)
    {
        Progress.Add(blobs);
        return Task.CompletedTask;
    }
}
