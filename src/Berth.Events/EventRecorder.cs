using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Microsoft.Extensions.Logging;

namespace Berth.Events;

/// <summary>
/// Turns what the store decorators saw into events and appends each to the queue of every endpoint that wants it,
/// before the store call returns: so before the request that caused it is answered.
/// </summary>
internal sealed partial class EventRecorder(
    IReadOnlyList<(EndpointSettings Endpoint, IEventOutbox Outbox)> endpoints,
    EventRequestAccessor requests,
    EventSource source,
    bool includeReferences,
    TimeProvider time,
    ILogger logger,
    INotificationObserver? observer = null)
{
    /// <summary>Blobs have no media type of their own; registry reports this one for them.</summary>
    public const string BlobMediaType = "application/octet-stream";

    public bool IncludeReferences => includeReferences;

    public Task BlobAsync(string action, RepositoryName repository, BlobInfo blob, RepositoryName? from = null) =>
        RecordAsync(action, new EventTarget
        {
            MediaType = BlobMediaType,
            Digest = blob.Digest.ToString(),
            Size = blob.Size,
            Length = blob.Size,
            Repository = repository.Value,
            FromRepository = from?.Value,
            Url = UrlOf(repository, "blobs", blob.Digest),
        });

    public Task ManifestAsync(string action, RepositoryName repository, StoredManifest manifest, Tag? tag) =>
        RecordAsync(action, new EventTarget
        {
            MediaType = manifest.MediaType,
            Digest = manifest.Digest.ToString(),
            Size = manifest.Bytes.Length,
            Length = manifest.Bytes.Length,
            Repository = repository.Value,
            Url = UrlOf(repository, "manifests", manifest.Digest),
            Tag = tag?.Value,
            References = includeReferences ? ManifestReferences.Of(manifest.Manifest) : null,
        });

    /// <summary>A deleted blob or manifest: registry tells only the repository and the digest.</summary>
    public Task DeletedAsync(RepositoryName repository, Digest digest) =>
        RecordAsync(EventActions.Delete, new EventTarget { Repository = repository.Value, Digest = digest.ToString() });

    public Task TagDeletedAsync(RepositoryName repository, Tag tag) =>
        RecordAsync(EventActions.Delete, new EventTarget { Repository = repository.Value, Tag = tag.Value });

    private async Task RecordAsync(string action, EventTarget target)
    {
        var request = requests.Current;
        var registryEvent = new RegistryEvent(
            Guid.NewGuid().ToString(),
            // A UTC DateTime is written with "Z", as Go writes a UTC time.
            time.GetUtcNow().UtcDateTime,
            action,
            target,
            new EventRequestRecord(request?.Id ?? string.Empty, request?.Addr, request?.Host, request?.Method ?? string.Empty,
                request?.UserAgent ?? string.Empty),
            new EventActor(request?.Actor()),
            source);
        byte[]? stored = null;
        foreach (var (endpoint, outbox) in endpoints)
        {
            if (!endpoint.Wants(registryEvent))
            {
                continue;
            }

            stored ??= EventJson.Serialize(registryEvent);
            // Not the request's token: the store change already happened, so its event must be kept even if the
            // client hangs up now.
            bool queued;
            try
            {
                queued = await outbox.AppendAsync(stored, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ServiceUnavailableException)
            {
                LogNotStored(logger, e, endpoint.Name, action, target.Repository);
                if (action == EventActions.Pull)
                {
                    // A pull changed nothing: serving it is worth more than its event, whose loss is logged above.
                    continue;
                }

                // The change is made but its event could not be kept: the client is told to try again (a clean 503,
                // as for any storage failure), and the retry's event is the one kept.
                throw new RegistryException(RegistryErrorCode.Unavailable, "service unavailable",
                    "the notification queue could not be written; try again");
            }

            if (queued)
            {
                observer?.Queued(endpoint.Name);
            }
            else
            {
                observer?.Dropped(endpoint.Name);
                LogDropped(logger, endpoint.Name, action, target.Repository, outbox.Dropped, endpoint.MaxQueue);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "notifications: the {Action} event of {Repository} could not be queued for endpoint {Endpoint}")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string endpoint, string action, string repository);

    private string? UrlOf(RepositoryName repository, string kind, Digest digest) =>
        requests.Current is { } request ? $"{request.BaseUrl}/v2/{repository.Value}/{kind}/{digest}" : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: queue of endpoint {Endpoint} is full ({MaxQueue} events); "
        + "dropped a {Action} event of {Repository}, {Dropped} dropped since start")]
    private static partial void LogDropped(ILogger logger, string endpoint, string action, string repository, long dropped, int maxQueue);
}
