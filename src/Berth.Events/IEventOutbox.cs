namespace Berth.Events;

/// <summary>
/// The durable queue of one endpoint: the recorder appends to it before the request that caused the event is
/// answered, and the endpoint's sender delivers the oldest event and only then removes it (at-least-once, in order).
/// <see cref="EventOutbox"/> keeps it in the store for one node; several nodes that share a store share one queue
/// elsewhere (Redis), given to <see cref="Notifications.Create"/> as an <see cref="EventOutboxFactory"/>.
/// </summary>
/// <remarks>
/// Append is called concurrently by requests; peek and remove only by the endpoint's one sender loop. A failure of
/// what keeps the queue is an <see cref="IOException"/>, <see cref="UnauthorizedAccessException"/> or
/// <see cref="Berth.Core.Errors.ServiceUnavailableException"/>: the request is then answered 503 and the sender
/// retries after a pause.
/// </remarks>
public interface IEventOutbox : IDisposable
{
    /// <summary>Events queued, the one being delivered included: read by metrics scrapes and logs, so it must be cheap.</summary>
    int Count { get; }

    /// <summary>Events refused since start because the queue was full.</summary>
    long Dropped { get; }

    /// <summary>Reads what a previous run left queued. Called once, before the first append.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores the event durably and queues it for sending.</summary>
    /// <returns>False when the queue was full and the event was dropped (and counted).</returns>
    Task<bool> AppendAsync(ReadOnlyMemory<byte> storedEvent, CancellationToken cancellationToken);

    /// <summary>The oldest queued event, waiting for one when there is none to deliver. It stays queued until removed.</summary>
    Task<QueuedEvent> PeekAsync(CancellationToken cancellationToken);

    /// <summary>Forgets an event <see cref="PeekAsync"/> returned, once it was delivered.</summary>
    Task RemoveAsync(QueuedEvent queued, CancellationToken cancellationToken);
}

/// <summary>A queued event: where it is in its queue, as the queue names it, and its stored JSON.</summary>
/// <param name="Position">A sequence number, a stream entry id: for the queue to find it again and for log lines.</param>
public sealed record QueuedEvent(string Position, byte[] Content);

/// <summary>Makes the queue of one endpoint.</summary>
/// <param name="name">
/// The endpoint's name as a plain file name (<see cref="Notifications.FolderOf"/>): one per endpoint, the same on
/// every node, so nodes that share a queue find it by this name.
/// </param>
/// <param name="capacity">The endpoint's <c>maxqueue</c>: events kept before new ones are dropped.</param>
public delegate IEventOutbox EventOutboxFactory(string name, int capacity);
