using Berth.Storage.Retention;

namespace Berth.Hosting;

/// <summary>
/// Writes the pulls this node recorded (<see cref="PullRecorder"/>) to the pull-time store every
/// <see cref="Interval"/>, and once more when berth stops, so a pull never waits for storage or Redis. A failed
/// flush (storage or Redis away) is logged; its pulls stay in memory for the next one.
/// </summary>
internal sealed partial class PullFlushLoop(PullRecorder recorder, IPullTimeStore store, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>How long the last flush at shutdown may take before its pulls are given up.</summary>
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(10);

    /// <returns>After <paramref name="stopping"/> fires and the last flush is done.</returns>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, time, stopping);
                await FlushAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // berth is stopping: the requests have drained, so what is recorded now is all there will be.
        }

        using var last = new CancellationTokenSource(FinalFlushTimeout, time);
        await FlushAsync(last.Token);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await recorder.FlushAsync(store, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Errors.ServiceUnavailableException
            or OperationCanceledException)
        {
            LogFailed(logger, recorder.Pending, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "retention: could not record {Pending} pulls, will try again: {Reason}")]
    private static partial void LogFailed(ILogger logger, int pending, string reason);
}
