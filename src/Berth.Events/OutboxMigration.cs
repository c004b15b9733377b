using Berth.Core.Errors;
using Berth.Storage.Drivers;
using Microsoft.Extensions.Logging;

namespace Berth.Events;

/// <summary>
/// Moves the events a single-node run left in an endpoint's store outbox into the queue that replaced it (Redis, once
/// several nodes share the store), oldest first, deleting each file only after its event was appended: a crash
/// midway delivers an event twice at worst, never loses one. Runs at start, before requests are served.
/// </summary>
/// <remarks>
/// Nodes that start together may move the same folder at once; an event may then be queued twice (at-least-once
/// allows it) and the moved events interleave, but none is lost: a file another node removed first is skipped.
/// What cannot be moved now (the queue is full, Redis is down) stays in the folder, is logged, and is moved at the
/// next start.
/// </remarks>
internal static partial class OutboxMigration
{
    public static async Task MoveAsync(IStorageDriver driver, StoragePath folder, IEventOutbox queue, string endpoint, ILogger logger,
        CancellationToken cancellationToken)
    {
        using var outbox = new EventOutbox(driver, folder, int.MaxValue);
        await outbox.InitializeAsync(cancellationToken);
        var moved = 0;
        try
        {
            while (await outbox.TryPeekAsync(cancellationToken) is { } oldest)
            {
                if (!await queue.AppendAsync(oldest.Content, cancellationToken))
                {
                    LogQueueFull(logger, endpoint, outbox.Count, folder);
                    break;
                }

                await outbox.RemoveAsync(oldest, cancellationToken);
                moved++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ServiceUnavailableException)
        {
            LogFailed(logger, endpoint, outbox.Count, folder, e.Message);
        }

        if (moved > 0)
        {
            LogMoved(logger, endpoint, moved, folder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "notifications: moved {Moved} events of endpoint {Endpoint} from the store outbox "
        + "{Folder} into the shared queue")]
    private static partial void LogMoved(ILogger logger, string endpoint, int moved, StoragePath folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: the shared queue of endpoint {Endpoint} is full; {Left} events stay in {Folder} "
        + "and are moved at the next start")]
    private static partial void LogQueueFull(ILogger logger, string endpoint, int left, StoragePath folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "notifications: could not move the {Left} events of endpoint {Endpoint} left in {Folder} "
        + "into the shared queue: {Reason}; they stay there and are moved at the next start")]
    private static partial void LogFailed(ILogger logger, string endpoint, int left, StoragePath folder, string reason);
}
