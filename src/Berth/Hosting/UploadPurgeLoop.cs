using Berth.Configuration;
using Berth.Storage.Stores;

namespace Berth.Hosting;

/// <summary>
/// Runs upload purging (<c>storage.maintenance.uploadpurging</c>) while berth serves: the first purge after a random
/// part of the interval (at most an hour, as registry:2 does, so that nodes sharing storage do not all sweep at
/// once), then one every interval, until berth stops.
/// </summary>
internal sealed partial class UploadPurgeLoop(RegistryStore store, UploadPurgingSettings settings, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan MaxFirstDelay = TimeSpan.FromHours(1);

    /// <returns>When <paramref name="stopping"/> fires; a purge in progress is cut between two sessions.</returns>
    public async Task RunAsync(CancellationToken stopping)
    {
        var delay = FirstDelay(settings.Interval);
        LogScheduled(logger, delay, settings.Age, settings.DryRun);
        try
        {
            while (true)
            {
                await LongDelay.WaitAsync(delay, time, stopping);
                await PurgeOnceAsync(stopping);
                delay = settings.Interval;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // berth is stopping.
        }
    }

    internal static TimeSpan FirstDelay(TimeSpan interval)
    {
        var bound = interval < MaxFirstDelay ? interval : MaxFirstDelay;
        return TimeSpan.FromTicks(Random.Shared.NextInt64(bound.Ticks + 1));
    }

    private async Task PurgeOnceAsync(CancellationToken stopping)
    {
        try
        {
            var result = await store.PurgeUploadsAsync(settings.Age, settings.DryRun, stopping);
            LogPurged(logger, settings.DryRun ? "would have removed" : "removed", result.Purged, settings.Age, result.Kept);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Storage trouble now is no reason to stop serving, nor to stop purging later.
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "upload purging: first run in {Delay}, then sessions older than {Age} are removed (dry run: {DryRun})")]
    private static partial void LogScheduled(ILogger logger, TimeSpan delay, TimeSpan age, bool dryRun);

    [LoggerMessage(Level = LogLevel.Information, Message = "upload purging: {Outcome} {Purged} sessions started more than {Age} ago; {Kept} younger kept")]
    private static partial void LogPurged(ILogger logger, string outcome, int purged, TimeSpan age, int kept);

    [LoggerMessage(Level = LogLevel.Warning, Message = "upload purging failed, will try again at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
