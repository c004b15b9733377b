using System.Security.Cryptography;
using System.Text;
using Berth.Core.Stores;
using Berth.Events.Stores;
using Berth.Storage.Drivers;
using Microsoft.Extensions.Logging;

namespace Berth.Events;

/// <summary>
/// Webhook notifications, assembled: a durable queue and a sender per enabled endpoint, and the store decorator that
/// feeds them. The host makes one when endpoints are configured, decorates its store with it and runs it until shutdown.
/// </summary>
public sealed partial class Notifications : IDisposable
{
    /// <summary>Where store outboxes live: beside registry's <c>docker/</c> tree, which registry never lists.</summary>
    public const string FolderName = ".berth-events";

    private readonly List<(EndpointSettings Endpoint, IEventOutbox Outbox)> _endpoints;
    private readonly EventRecorder _recorder;
    private readonly IStorageDriver _driver;
    private readonly bool _queuedElsewhere;
    private readonly HttpMessageInvoker _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly INotificationObserver? _observer;

    private Notifications(List<(EndpointSettings, IEventOutbox)> endpoints, EventRecorder recorder, HttpMessageInvoker http,
        TimeProvider time, ILogger logger, INotificationObserver? observer, IStorageDriver driver, bool queuedElsewhere)
    {
        _endpoints = endpoints;
        _driver = driver;
        _queuedElsewhere = queuedElsewhere;
        _recorder = recorder;
        _http = http;
        _time = time;
        _logger = logger;
        _observer = observer;
    }

    /// <summary>Makes the queue and sender of every enabled endpoint; nothing is read until <see cref="InitializeAsync"/>.</summary>
    /// <param name="sourceAddr">This node as events name it: host name and port.</param>
    /// <param name="http">Sends to the endpoints; null for a pooled handler of berth's own.</param>
    /// <param name="observer">Told what happens to every event (metrics); null when nothing watches.</param>
    /// <param name="outboxes">
    /// Makes the endpoints' queues when they live outside the store (Redis, shared by every node); null for an outbox
    /// per endpoint in the store, under <see cref="FolderName"/>.
    /// </param>
    public static Notifications Create(NotificationSettings settings, IStorageDriver driver, string sourceAddr, ILoggerFactory loggers, TimeProvider time,
        HttpMessageInvoker? http = null, INotificationObserver? observer = null, EventOutboxFactory? outboxes = null)
    {
        var logger = loggers.CreateLogger("berth.notifications");
        var queuedElsewhere = outboxes is not null;
        outboxes ??= (name, capacity) => new EventOutbox(driver, OutboxFolder(name), capacity);
        var endpoints = settings.Endpoints
            .Where(endpoint => !endpoint.Disabled)
            .Select(endpoint => (endpoint, outboxes(FolderOf(endpoint.Name), endpoint.MaxQueue)))
            .ToList();
        var requests = new EventRequestAccessor();
        var source = new EventSource(sourceAddr, Guid.NewGuid().ToString());
        var recorder = new EventRecorder(endpoints, requests, source, settings.IncludeReferences, time, logger, observer);
        http ??= new HttpMessageInvoker(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) });
        return new Notifications(endpoints, recorder, http, time, logger, observer, driver, queuedElsewhere) { Requests = requests };
    }

    /// <summary>
    /// Reads what a previous run left queued. Call once, before the first request is served. With the queues outside
    /// the store, the events a single-node run left in a store outbox are moved into them first (see
    /// <see cref="OutboxMigration"/>).
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        foreach (var (endpoint, queue) in _endpoints)
        {
            await queue.InitializeAsync(cancellationToken);
            if (_queuedElsewhere)
            {
                await OutboxMigration.MoveAsync(_driver, OutboxFolder(FolderOf(endpoint.Name)), queue, endpoint.Name, _logger, cancellationToken);
            }

            LogEndpoint(_logger, endpoint.Name, endpoint.Url, endpoint.MediaType, queue.Count);
        }
    }

    /// <summary>Where the HTTP layer leaves each request's particulars for the events it causes.</summary>
    public required EventRequestAccessor Requests { get; init; }

    /// <summary>Events queued per endpoint name, the one being delivered included: for the start-up log, metrics and tests.</summary>
    public IReadOnlyDictionary<string, int> Queued => _endpoints.ToDictionary(e => e.Endpoint.Name, e => e.Outbox.Count);

    /// <summary>Events dropped per endpoint name because its queue was full.</summary>
    public IReadOnlyDictionary<string, long> Dropped => _endpoints.ToDictionary(e => e.Endpoint.Name, e => e.Outbox.Dropped);

    /// <summary>The store with every push, pull, mount and delete recorded.</summary>
    public IRegistryStore Decorate(IRegistryStore store) => new EventingRegistryStore(store, _recorder);

    /// <summary>Delivers every endpoint's queue until <paramref name="stopping"/>; what is left is sent after the next start.</summary>
    public Task RunAsync(CancellationToken stopping) =>
        Task.WhenAll(_endpoints.Select(e => new EventSender(e.Outbox, e.Endpoint, _http, _time, _logger, _observer).RunAsync(stopping)));

    public void Dispose()
    {
        _http.Dispose();
        foreach (var (_, outbox) in _endpoints)
        {
            outbox.Dispose();
        }
    }

    private static StoragePath OutboxFolder(string name) => StoragePath.Root.Append(FolderName, name);

    /// <summary>
    /// The endpoint's folder: its name when that is a plain file name, else a digest of it, so any name registry
    /// accepts maps to one folder that cannot leave <see cref="FolderName"/>.
    /// </summary>
    internal static string FolderOf(string name)
    {
        var plain = name.Length is > 0 and <= 100 && name is not "." and not ".."
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        return plain ? name : "endpoint-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "notifications: endpoint {Endpoint} at {Url} ({MediaType}), {Queued} events queued from before")]
    private static partial void LogEndpoint(ILogger logger, string endpoint, Uri url, string mediaType, int queued);
}
