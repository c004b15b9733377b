using System.Security.Cryptography;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Events.Tests;

/// <summary>
/// When the queue cannot be written (a full disk, Redis away): a change is answered 503 so that its client retries and the
/// retry's event is kept; a pull, which changed nothing, is still served.
/// </summary>
public sealed class EventQueueFailureTests : IDisposable
{
    private static readonly RepositoryName Repo = RepositoryName.Parse("team/app");
    private readonly HookedDriver _driver = new();
    private Exception? _queueFailure;
    private readonly RegistryStore _inner;

    public EventQueueFailureTests()
    {
        _inner = new RegistryStore(_driver, new StoreOptions { DeleteEnabled = true });
        _driver.BeforeWrite = (_, path) => _queueFailure is not null && path.ToString().Contains(".berth-events", StringComparison.Ordinal)
            ? throw _queueFailure
            : Task.CompletedTask;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _inner.Dispose();

    /// <param name="serviceDown">
    /// The service behind the queue failed (an object store, Redis: <see cref="ServiceUnavailableException"/>) rather
    /// than the disk.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Push_QueueUnwritable_UnavailableAndPullStillServed(bool serviceDown)
    {
        using var notifications = Notifications.Create(
            new NotificationSettings { Endpoints = [new EndpointSettings { Name = "hook", Url = new Uri("http://x/") }] },
            _driver, "node:5000", NullLoggerFactory.Instance, TimeProvider.System);
        await notifications.InitializeAsync(Ct);
        var repository = notifications.Decorate(_inner).Repository(Repo);
        var layer = RandomNumberGenerator.GetBytes(32);
        var digest = Digest.Parse("sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer)));
        await _inner.Repository(Repo).Uploads.CompleteAsync((await _inner.Repository(Repo).Uploads.StartAsync(Ct)).Id, digest,
            new MemoryStream(layer), null, Ct);
        _queueFailure = serviceDown ? new ServiceUnavailableException("redis", "no connection to Redis") : new IOException("No space left on device");

        var upload = await repository.Uploads.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Uploads.CompleteAsync(upload.Id, digest, new MemoryStream(layer), null, Ct));
        var pulled = await repository.Blobs.StatAsync(digest, Ct);

        Assert.Equal(RegistryErrorCode.Unavailable, refused.Code);
        Assert.Equal(503, refused.Status);
        Assert.NotNull(pulled);
    }
}
