using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Events.Tests;

/// <summary>The decorator over a real store on the in-memory driver: which calls become which queued events.</summary>
public sealed class EventingStoreTests : IDisposable
{
    private static readonly RepositoryName Repo = RepositoryName.Parse("team/app");
    private readonly InMemoryDriver _driver = new();
    private readonly RegistryStore _inner;

    public EventingStoreTests() => _inner = new RegistryStore(_driver, new StoreOptions { DeleteEnabled = true });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutAsync_WithExtraTags_OnePushEventPerTagWithReferences()
    {
        using var notifications = await NotificationsAsync(new EndpointSettings { Name = "hook", Url = new Uri("http://x/") });
        var repository = notifications.Decorate(_inner).Repository(Repo);
        var (layer, manifest) = await PushImageAsync(repository, Reference.Of(Tag.Parse("v1")), [Tag.Parse("latest")]);

        var events = await QueuedAsync("hook");

        Assert.Equal(["push " + layer, "push " + manifest + " v1", "push " + manifest + " latest"], events.Select(Summary));
        var references = events[1].GetProperty("target").GetProperty("references");
        Assert.Equal(2, references.GetArrayLength());
    }

    [Fact]
    public async Task Decorate_IgnoredActionsAndMediaTypes_NotQueuedForThatEndpointOnly()
    {
        using var notifications = await NotificationsAsync(
            new EndpointSettings { Name = "all", Url = new Uri("http://x/") },
            new EndpointSettings
            {
                Name = "picky",
                Url = new Uri("http://y/"),
                IgnoredActions = new HashSet<string> { EventActions.Pull },
                IgnoredMediaTypes = new HashSet<string> { "application/octet-stream" },
            });
        var repository = notifications.Decorate(_inner).Repository(Repo);
        var (layer, manifest) = await PushImageAsync(repository, Reference.Of(Tag.Parse("v1")), []);
        Assert.NotNull(await repository.Manifests.GetAsync(Reference.Of(Tag.Parse("v1")), Ct));
        Assert.NotNull(await repository.Blobs.StatAsync(Digest.Parse(layer), Ct));

        Assert.Equal(["push " + layer, "push " + manifest + " v1", "pull " + manifest + " v1", "pull " + layer],
            (await QueuedAsync("all")).Select(Summary));
        Assert.Equal(["push " + manifest + " v1"], (await QueuedAsync("picky")).Select(Summary));
    }

    [Fact]
    public async Task DeleteAsync_TagThenDigestThenMissing_TagDeleteAndManifestDeleteOnly()
    {
        using var notifications = await NotificationsAsync(new EndpointSettings { Name = "hook", Url = new Uri("http://x/") });
        var repository = notifications.Decorate(_inner).Repository(Repo);
        var (_, manifest) = await PushImageAsync(repository, Reference.Of(Tag.Parse("v1")), []);
        var before = (await QueuedAsync("hook")).Count;

        Assert.True(await repository.Manifests.DeleteAsync(Reference.Of(Tag.Parse("v1")), Ct));
        Assert.True(await repository.Manifests.DeleteAsync(Reference.Of(Digest.Parse(manifest)), Ct));
        Assert.False(await repository.Manifests.DeleteAsync(Reference.Of(Digest.Parse(manifest)), Ct));
        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(Digest.Parse(manifest)), Ct));

        var events = (await QueuedAsync("hook")).Skip(before).ToList();
        // A tag delete names the tag and no digest, as registry:3's does.
        Assert.Equal(["delete  v1", "delete " + manifest], events.Select(Summary));
        Assert.False(events[1].GetProperty("target").TryGetProperty("mediaType", out _));
    }

    public void Dispose() => _inner.Dispose();

    private async Task<Notifications> NotificationsAsync(params EndpointSettings[] endpoints)
    {
        var notifications = Notifications.Create(new NotificationSettings { Endpoints = endpoints, IncludeReferences = true }, _driver,
            "node:5000", NullLoggerFactory.Instance, TimeProvider.System);
        await notifications.InitializeAsync(Ct);
        return notifications;
    }

    /// <returns>The layer's and the manifest's digests.</returns>
    private static async Task<(string Layer, string Manifest)> PushImageAsync(IRepository repository, Reference reference, IReadOnlyList<Tag> extraTags)
    {
        var layer = RandomNumberGenerator.GetBytes(32);
        var layerDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer));
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.CompleteAsync(upload.Id, Digest.Parse(layerDigest), new MemoryStream(layer), null, Ct);
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layerDigest}}","size":32},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layerDigest}}","size":32}]}
            """);
        var stored = await repository.Manifests.PutAsync(reference, manifest, "application/vnd.oci.image.manifest.v1+json", extraTags, Ct);
        return (layerDigest, stored.Digest.ToString());
    }

    private async Task<List<JsonElement>> QueuedAsync(string endpoint)
    {
        var events = new List<(string Name, JsonElement Event)>();
        await foreach (var entry in _driver.ListAsync(StoragePath.Parse(".berth-events/" + endpoint), Ct))
        {
            using var document = JsonDocument.Parse((await _driver.ReadAllAsync(entry.Path, Ct))!);
            events.Add((entry.Path.Name, document.RootElement.Clone()));
        }

        return [.. events.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Event)];
    }

    private static string Summary(JsonElement e)
    {
        var target = e.GetProperty("target");
        string? Text(string name) => target.TryGetProperty(name, out var value) ? value.GetString() : null;
        return $"{e.GetProperty("action").GetString()} {Text("digest")} {Text("tag")}".TrimEnd();
    }
}
