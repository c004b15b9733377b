using Berth.Storage.State;
using Berth.Storage.Usage;

namespace Berth.Hosting;

/// <summary>
/// Counts storage used when nothing else does: with metrics on and online garbage collection off (whose mark counts it
/// otherwise), a read-only mark every interval (an hour), its figures written for every node and shown at once here.
/// The first scan waits until the stored figures are an interval old, so restarts do not each walk the store. With
/// several nodes a lease lets one scan at a time; the others read its figures.
/// </summary>
internal sealed partial class UsageScanLoop(UsageScanner scanner, UsageCache usage, ILeases leases, TimeSpan interval, ILogger logger,
    TimeProvider time)
{
    /// <summary>Hidden, for tests: the time between scans as a Go duration (<c>200ms</c>) instead of an hour.</summary>
    public const string IntervalVariable = "BERTH_USAGE_SCAN_INTERVAL";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    private const string LeaseName = "usage";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    /// <param name="text">The value of <see cref="IntervalVariable"/>, if set.</param>
    public static TimeSpan IntervalFrom(string? text) =>
        text is not null && Configuration.GoDuration.TryParse(text, out var parsed) && parsed > TimeSpan.Zero ? parsed : DefaultInterval;

    /// <returns>When <paramref name="stopping"/> fires; a scan in progress stops between two storage calls.</returns>
    public async Task RunAsync(CancellationToken stopping)
    {
        LogScheduled(logger, interval);
        try
        {
            await LongDelay.WaitAsync(await UntilDueAsync(stopping), time, stopping);
            while (true)
            {
                await ScanOnceAsync(stopping);
                await LongDelay.WaitAsync(interval, time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // berth is stopping.
        }
    }

    /// <summary>
    /// The least wait before the first scan. The web page starts the loop at its first visit and sets a minute, so that
    /// a walk of the whole store does not compete with the very requests that asked for it.
    /// </summary>
    public TimeSpan FirstScanAfter { get; init; } = TimeSpan.Zero;

    /// <summary>How long until the stored figures are an interval old (zero when there are none), and not before <see cref="FirstScanAfter"/>.</summary>
    private async Task<TimeSpan> UntilDueAsync(CancellationToken stopping)
    {
        var stored = await usage.CurrentAsync(stopping);
        var due = stored is null ? TimeSpan.Zero : stored.ComputedAt + interval - time.GetUtcNow();
        return due > FirstScanAfter ? due : FirstScanAfter;
    }

    private async Task ScanOnceAsync(CancellationToken stopping)
    {
        try
        {
            if (await leases.TryAcquireAsync(LeaseName, LeaseDuration, stopping) is not { } lease)
            {
                return;
            }

            await using var kept = new KeptLease(lease, LeaseDuration);
            var started = time.GetTimestamp();
            var figures = await scanner.ScanAsync(stopping);
            usage.Publish(figures);
            var duration = time.GetElapsedTime(started);
            LogScanned(logger, figures.Repositories.Count, figures.BlobsInUse, figures.BytesInUse, duration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Errors.ServiceUnavailableException
            or Storage.Gc.GarbageCollectionException)
        {
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "storage usage: counted every {Interval} (metrics on, online garbage collection off)")]
    private static partial void LogScheduled(ILogger logger, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "storage usage: {Repositories} repositories, {Blobs} blobs, {Bytes} bytes in use, counted in {Duration}")]
    private static partial void LogScanned(ILogger logger, int repositories, int blobs, long bytes, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "storage usage could not be counted, will try again at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
