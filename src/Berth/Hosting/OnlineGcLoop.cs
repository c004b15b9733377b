using Berth.Configuration;
using Berth.Storage.Gc.Online;
using Berth.Storage.State;
using Berth.Storage.Usage;
using Berth.Metrics;

namespace Berth.Hosting;

/// <summary>
/// Runs online garbage collection (<c>storage.maintenance.gc</c>) while berth serves: one collection, then the
/// interval, and again, each starting only inside the window when one is set, until berth stops. In read-only mode
/// none runs. A collection that fails (storage trouble) is logged and tried again at the next interval. With several
/// nodes every node runs this loop, and a lease lets one collect at a time: the others skip their turn. With
/// <c>storage.retention</c> configured, each collection first applies it (<see cref="OnlineRetentionPhase"/>).
/// </summary>
/// <param name="usage">With metrics on: where each collection's count of storage used is shown at once.</param>
internal sealed partial class OnlineGcLoop(OnlineCollector collector, ILeases leases, OnlineGcSettings settings, ILogger logger,
    TimeProvider time, GcMetrics? metrics, OnlineRetentionPhase? retention = null, UsageCache? usage = null)
{
    private const string LeaseName = "gc";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    private readonly string _window = settings.Window?.ToString() ?? "any time";

    /// <returns>When <paramref name="stopping"/> fires; a collection in progress stops between two storage calls.</returns>
    public async Task RunAsync(CancellationToken stopping)
    {
        LogScheduled(logger, settings.Interval, settings.Grace, settings.DeleteUntagged, _window);
        var options = new OnlineCollectionOptions(settings.Grace, settings.DeleteUntagged);
        try
        {
            while (true)
            {
                await WaitForWindowAsync(stopping);
                await CollectOnceAsync(options, stopping);
                await LongDelay.WaitAsync(settings.Interval, time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // berth is stopping.
        }
    }

    private async Task WaitForWindowAsync(CancellationToken stopping)
    {
        if (settings.Window is { } window && window.UntilOpen(time.GetLocalNow().TimeOfDay) is var wait && wait > TimeSpan.Zero)
        {
            LogWaitingForWindow(logger, _window, wait);
            await Task.Delay(wait, time, stopping);
        }
    }

    private async Task CollectOnceAsync(OnlineCollectionOptions options, CancellationToken stopping)
    {
        try
        {
            if (await leases.TryAcquireAsync(LeaseName, LeaseDuration, stopping) is not { } lease)
            {
                LogSkipped(logger);
                return;
            }

            await using var kept = new KeptLease(lease, LeaseDuration);
            var result = await collector.RunAsync(options, retention is null ? null : retention.RunAsync, stopping);
            metrics?.Record(result);
            usage?.Publish(result.Usage);
            LogCollected(logger, result.Cycle, result.Marked, result.BlobsDeleted, result.BytesDeleted, result.ManifestsRemoved,
                result.KeptProtected, result.KeptYoung, result.Duration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Errors.ServiceUnavailableException
            or Storage.Gc.GarbageCollectionException or Core.Errors.RegistryException)
        {
            metrics?.RecordFailure();
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collection: online, every {Interval}, grace {Grace}, delete untagged {DeleteUntagged}, window {Window}")]
    private static partial void LogScheduled(ILogger logger, TimeSpan interval, TimeSpan grace, bool deleteUntagged, string window);

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collection: waiting {Wait} for the window {Window}")]
    private static partial void LogWaitingForWindow(ILogger logger, string window, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collection: cycle {Cycle}: {Marked} blobs in use, {Blobs} blobs ({Bytes} bytes) and {Manifests} untagged manifests removed, {Protected} kept for requests in progress, {Young} kept by grace, in {Duration}")]
    private static partial void LogCollected(ILogger logger, long cycle, int marked, int blobs, long bytes, int manifests, int @protected,
        int young, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Debug, Message = "garbage collection: another node is collecting; this one skips its turn")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "garbage collection failed, will try again at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
