using System.Security.Cryptography;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Events.Tests;

/// <summary>
/// When the queue cannot be written (a full disk): a change is answered 503 so that its client retries and the
/// retry's event is kept; a pull, which changed nothing, is still served.
/// </summary>
public sealed class EventQueueFailureTests : IDisposable
{
    private static readonly RepositoryName Repo = RepositoryName.Parse("team/app");
    private readonly QueueFailingDriver _driver = new();
    private readonly RegistryStore _inner;

    public EventQueueFailureTests() => _inner = new RegistryStore(_driver, new StoreOptions { DeleteEnabled = true });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _inner.Dispose();

    [Fact]
    public async Task Push_QueueUnwritable_UnavailableAndPullStillServed()
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
        _driver.FailQueue = true;

        var upload = await repository.Uploads.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Uploads.CompleteAsync(upload.Id, digest, new MemoryStream(layer), null, Ct));
        var pulled = await repository.Blobs.StatAsync(digest, Ct);

        Assert.Equal(RegistryErrorCode.Unavailable, refused.Code);
        Assert.Equal(503, refused.Status);
        Assert.NotNull(pulled);
    }

    /// <summary>The in-memory driver, failing every write under the event queue while <see cref="FailQueue"/> is set.</summary>
    private sealed class QueueFailingDriver : IStorageDriver
    {
        private readonly InMemoryDriver _inner = new();

        public bool FailQueue { get; set; }

        public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) => _inner.StatAsync(path, cancellationToken);

        public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) =>
            _inner.OpenReadAsync(path, offset, cancellationToken);

        public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) => _inner.ReadAllAsync(path, cancellationToken);

        public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            FailQueue && path.ToString().Contains(".berth-events", StringComparison.Ordinal)
                ? throw new IOException("No space left on device")
                : _inner.WriteAllAsync(path, content, cancellationToken);

        public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
            _inner.OpenWriteAsync(path, append, cancellationToken);

        public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
            _inner.ListAsync(directory, cancellationToken);

        public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
            _inner.MoveAsync(source, destination, cancellationToken);

        public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) => _inner.DeleteAsync(path, cancellationToken);

        public string? LocalPath(StoragePath path) => _inner.LocalPath(path);
    }
}
