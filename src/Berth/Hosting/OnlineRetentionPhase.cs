using Berth.Core.Retention;
using Berth.Metrics;
using Berth.Storage.Gc;
using Berth.Storage.Retention;

namespace Berth.Hosting;

/// <summary>
/// Retention inside each online collection (<see cref="OnlineGcLoop"/>), before the mark, so the content of what it
/// removes is swept in the same cycle. It runs where the collection runs: under the collection's lease, inside the
/// window, never in read-only mode. This node's pulls are flushed first, so they count; other nodes' are at most
/// <see cref="PullFlushLoop.Interval"/> old. With <c>storage.retention.dryrun</c> it only logs what it would remove.
/// </summary>
internal sealed partial class OnlineRetentionPhase(RetentionRunner runner, bool dryRun, PullRecorder? recorder, IPullTimeStore pulls,
    ILogger logger, RetentionMetrics? metrics)
{
    public async Task RunAsync(IDeletionGuard guard, CancellationToken cancellationToken)
    {
        if (recorder is not null)
        {
            await recorder.FlushAsync(pulls, cancellationToken);
        }

        var result = await runner.RunAsync(dryRun, guard, cancellationToken);
        metrics?.Record(result);
        var outcome = dryRun ? "would remove" : "removed";
        foreach (var repository in result.Repositories)
        {
            foreach (var tag in repository.Verdict.Removed)
            {
                if (repository.KeptAfterAll(tag.Tag) is { } why)
                {
                    LogKept(logger, repository.Repository.Value, tag.Tag.Value, why);
                }
                else
                {
                    LogTag(logger, outcome, repository.Repository.Value, tag.Tag.Value, tag.Candidate.Digest, tag, repository.Verdict.Policy!.Key);
                }
            }
        }

        LogDone(logger, outcome, result.TagsRemoved, result.ManifestsDeleted, result.Repositories.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: {Outcome} {Repository}:{Tag} ({Digest}): {Reason} ({Policy})")]
    private static partial void LogTag(ILogger logger, string outcome, string repository, string tag, Core.Digest digest, TagVerdict reason,
        string policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: {Repository}:{Tag} {Why}")]
    private static partial void LogKept(ILogger logger, string repository, string tag, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: {Outcome} {Tags} tags and {Manifests} manifests in {Repositories} repositories")]
    private static partial void LogDone(ILogger logger, string outcome, int tags, int manifests, int repositories);
}
