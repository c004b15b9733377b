using Berth.Storage.Nodes;

namespace Berth.Hosting;

/// <summary>
/// Keeps this node's presence record (<see cref="NodePresence"/>) in the store while berth serves and is not
/// read-only: written before the port opens, rewritten every beat, removed at a clean stop. A store that fails a
/// write is logged and tried again at the next beat: presence is advice to garbage-collect, never a reason to stop
/// serving.
/// </summary>
internal sealed partial class NodePresenceLoop(NodePresenceStore store, NodePresence presence, ILogger logger, TimeProvider time)
{
    /// <summary>
    /// Hidden, for tests: a beat interval other than the default (a Go duration, such as <c>200ms</c>), so that the
    /// record of a killed node goes stale in a test's time.
    /// </summary>
    public const string BeatIntervalVariable = "BERTH_NODE_BEAT_INTERVAL";

    private NodePresence _presence = presence;

    public async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        LogAnnounced(logger, _presence.NodeId, _presence.BeatInterval);
        await BeatOnceAsync(cancellationToken);
    }

    /// <returns>When <paramref name="stopping"/> fires.</returns>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_presence.BeatInterval, time, stopping);
                await BeatOnceAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // berth is stopping; WithdrawAsync follows once nothing else writes.
        }
    }

    /// <summary>Removes the record: called after the other loops have stopped, so nothing of this node writes any more.</summary>
    public async Task WithdrawAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.RemoveAsync(_presence.NodeId, cancellationToken);
        }
        catch (Exception e)
        {
            // The record goes stale within three beats and garbage-collect then ignores it.
            LogFailed(logger, "removing", e.Message);
        }
    }

    /// <param name="text">The value of <see cref="BeatIntervalVariable"/>, if set.</param>
    internal static TimeSpan BeatInterval(string? text) =>
        text is not null && Configuration.GoDuration.TryParse(text, out var interval) && interval > TimeSpan.Zero
            ? interval
            : NodePresence.DefaultBeatInterval;

    private async Task BeatOnceAsync(CancellationToken cancellationToken)
    {
        _presence = _presence.Beat(time.GetUtcNow());
        try
        {
            await store.WriteAsync(_presence, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the driver throws (an object store answers in its own exceptions): serving goes on.
            LogFailed(logger, "writing", e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node presence: this node is {NodeId} in the store's _berth/nodes, beating every {Interval}, so that an offline garbage-collect sees it and refuses")]
    private static partial void LogAnnounced(ILogger logger, string nodeId, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node presence: {Action} this node's record failed, will try again at the next beat: {Reason}")]
    private static partial void LogFailed(ILogger logger, string action, string reason);
}
