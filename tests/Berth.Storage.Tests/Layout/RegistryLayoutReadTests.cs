using System.Text;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;
using Berth.TestKit;

namespace Berth.Storage.Tests.Layout;

/// <summary>
/// A folder written the way registry:2 writes it, made here file by file, is served by a fresh Berth: users
/// point Berth at their existing /var/lib/registry and keep every image.
/// </summary>
public sealed class RegistryLayoutReadTests : IDisposable
{
    private const string UploadUuid = "3f1c1b5e-2d6a-4c8e-9b7a-0123456789ab";
    private readonly TempDirectory _temp = new("berth-layout");
    private readonly ManifestBuilder _image = new ManifestBuilder().Layer(TestContent.Random(2000, seed: 9));
    private readonly byte[] _manifest;
    private readonly byte[] _upload = TestContent.Random(3000, seed: 10);

    public RegistryLayoutReadTests()
    {
        _manifest = _image.Build();
        foreach (var blob in _image.Blobs.Append(_manifest))
        {
            var hex = Digest.Compute(blob).Hex;
            Put(blob, "blobs", "sha256", hex[..2], hex, "data");
        }

        var config = Digest.Compute(_image.Blobs[0]);
        var layer = Digest.Compute(_image.Blobs[1]);
        var manifest = Digest.Compute(_manifest);
        string[] repo = ["repositories", "a", "b", "c"];
        PutLink(config + "\n", [.. repo, "_layers", "sha256", config.Hex, "link"]);
        PutLink(layer.ToString(), [.. repo, "_layers", "sha256", layer.Hex, "link"]);
        PutLink(manifest.ToString(), [.. repo, "_manifests", "revisions", "sha256", manifest.Hex, "link"]);
        foreach (var tag in new[] { "latest", "1.0" })
        {
            // A trailing newline, as hand-made or foreign links may have; registry:2 itself writes none.
            PutLink(manifest + "\n", [.. repo, "_manifests", "tags", tag, "current", "link"]);
            PutLink(manifest.ToString(), [.. repo, "_manifests", "tags", tag, "index", "sha256", manifest.Hex, "link"]);
        }

        Put(_upload, [.. repo, "_uploads", UploadUuid, "data"]);
        PutLink("2024-05-06T07:08:09Z", [.. repo, "_uploads", UploadUuid, "startedat"]);
        PutLink(layer.ToString(), "repositories", "other", "_layers", "sha256", layer.Hex, "link");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RepositoryName Nested => RepositoryName.Parse("a/b/c");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Catalog_HandMadeLayout_ListsEveryRepositoryIncludingNestedNames()
    {
        using var store = await OpenAsync();

        var (names, hasMore) = await store.Catalog.PageAsync(null, 100, Ct);

        Assert.Equal(["a/b/c", "other"], names);
        Assert.False(hasMore);
    }

    [Fact]
    public async Task ListTags_HandMadeLayout_ReturnsTagFoldersSorted()
    {
        using var store = await OpenAsync();

        Assert.Equal(["1.0", "latest"], await store.Repository(Nested).Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task GetManifest_ByTagWithNewlineLinkAndByDigest_ReturnsExactBytes()
    {
        using var store = await OpenAsync();
        var manifests = store.Repository(Nested).Manifests;

        var byTag = await manifests.GetAsync(Reference.Of(Tag.Parse("latest")), Ct);
        var byDigest = await manifests.GetAsync(Reference.Of(Digest.Compute(_manifest)), Ct);

        Assert.NotNull(byTag);
        Assert.NotNull(byDigest);
        Assert.Equal(_manifest, byTag.Bytes.ToArray());
        Assert.Equal(_manifest, byDigest.Bytes.ToArray());
        Assert.Equal(Digest.Compute(_manifest), byTag.Digest);
    }

    [Fact]
    public async Task StatBlob_LinkWithAndWithoutNewline_FindsContent()
    {
        using var store = await OpenAsync();
        var blobs = store.Repository(Nested).Blobs;

        foreach (var content in _image.Blobs)
        {
            var blob = await blobs.StatAsync(Digest.Compute(content), Ct);
            Assert.NotNull(blob);
            Assert.Equal(content.Length, blob.Size);
        }

        Assert.Null(await store.Repository(RepositoryName.Parse("other")).Blobs.StatAsync(Digest.Compute(_image.Blobs[0]), Ct));
    }

    [Fact]
    public async Task CompleteUpload_StartedByRegistry2_PublishesVerifiedBlob()
    {
        using var store = await OpenAsync();
        var repository = store.Repository(Nested);
        Assert.True(UploadId.TryParse(UploadUuid, out var id));

        var status = await repository.Uploads.GetAsync(id, Ct);
        Assert.NotNull(status);
        Assert.Equal(_upload.Length, status.Size);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), status.StartedAt);

        var blob = await repository.Uploads.CompleteAsync(id, Digest.Compute(_upload), null, null, Ct);

        Assert.Equal(_upload.Length, blob.Size);
        Assert.NotNull(await repository.Blobs.StatAsync(Digest.Compute(_upload), Ct));
    }

    private async Task<RegistryStore> OpenAsync()
    {
        var store = new RegistryStore(new FilesystemDriver(_temp.Path), new StoreOptions());
        await store.InitializeAsync(Ct);
        return store;
    }

    private void PutLink(string text, params string[] parts) => Put(Encoding.ASCII.GetBytes(text), parts);

    private void Put(byte[] content, params string[] parts)
    {
        var path = _temp.Combine(["docker", "registry", "v2", .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
