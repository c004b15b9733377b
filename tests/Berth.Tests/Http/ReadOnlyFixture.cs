using System.Net;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// A storage root filled by a berth started normally (one image, <see cref="Repository"/>:v1, and an upload in
/// progress), then served by a second berth started read-only by its REGISTRY_* variable, with upload purging set to
/// sweep every session at once if it ran at all.
/// </summary>
public sealed class ReadOnlyFixture : BerthFixture
{
    public const string Repository = "seed/app";

    public string UploadId { get; private set; } = "";

    public string ManifestDigest { get; private set; } = "";

    public string LayerDigest { get; private set; } = "";

    /// <summary>Storage as the read-only berth found it.</summary>
    public StorageSnapshot Before { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"),
        new("REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE", "1ms"),
        new("REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_INTERVAL", "10ms"),
    ];

    public override async ValueTask InitializeAsync()
    {
        await SeedAsync();
        Before = StorageSnapshot.Take(Root);
        await base.InitializeAsync();
    }

    public void AssertNothingWritten()
    {
        Before.AssertUnchanged(StorageSnapshot.Take(Root));
        Assert.Equal([Root], Directory.GetFileSystemEntries(Parent));
    }

    private async Task SeedAsync()
    {
        var token = TestContext.Current.CancellationToken;
        await using var writable = await BerthProcess.StartAsync(Root, cancellationToken: token);
        using var http = new HttpClient { BaseAddress = writable.BaseUri };
        var registry = new RegistryClient(http);
        var config = TestManifests.Config();
        var layer = TestManifests.Layer();
        var manifest = TestManifests.Image(config, [layer]);
        await registry.PushImageAsync(Repository, "v1", manifest, config, layer);
        (ManifestDigest, LayerDigest) = (manifest.Digest, layer.Digest);

        var location = await registry.StartUploadAsync(Repository);
        using var patched = await http.PatchAsync(location, new ByteArrayContent(new byte[5]), token);
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        UploadId = location.Segments[^1];
    }
}
