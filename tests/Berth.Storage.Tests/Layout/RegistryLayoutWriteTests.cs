using System.Globalization;
using System.Text;
using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;
using Berth.TestKit;

namespace Berth.Storage.Tests.Layout;

/// <summary>
/// What Berth writes must be exactly what registry:2 would have written, file by file and byte by byte, so
/// registry:2 can serve a Berth folder. Paths here are spelled out by hand, not taken from RegistryPaths.
/// </summary>
public sealed class RegistryLayoutWriteTests : IDisposable
{
    private readonly TempDirectory _temp = new("berth-layout");
    private readonly FixedTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
    private readonly RegistryStore _store;

    public RegistryLayoutWriteTests()
    {
        _store = new RegistryStore(new FilesystemDriver(_temp.Path), new StoreOptions(), _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string V2(params string[] parts) => _temp.Combine(["docker", "registry", "v2", .. parts]);

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task PushImage_WithTag_WritesRegistry2FilesByteForByte()
    {
        var repository = _store.Repository(RepositoryName.Parse("library/app"));
        var image = new ManifestBuilder().Layer(TestContent.Random(4096, seed: 5));
        foreach (var blob in image.Blobs)
        {
            var upload = await repository.Uploads.StartAsync(Ct);
            await repository.Uploads.CompleteAsync(upload.Id, Digest.Compute(blob), TestContent.Stream(blob), null, Ct);
        }

        var manifestBytes = image.Build();
        var manifest = await repository.Manifests.PutAsync(Reference.Of(Tag.Parse("v1")), manifestBytes, null, [], Ct);

        foreach (var blob in image.Blobs)
        {
            var hex = Digest.Compute(blob).Hex;
            Assert.Equal(blob, await File.ReadAllBytesAsync(V2("blobs", "sha256", hex[..2], hex, "data"), Ct));
            AssertLink(V2("repositories", "library", "app", "_layers", "sha256", hex, "link"), hex);
        }

        var m = manifest.Digest.Hex;
        Assert.Equal(Digest.Compute(manifestBytes), manifest.Digest);
        Assert.Equal(manifestBytes, await File.ReadAllBytesAsync(V2("blobs", "sha256", m[..2], m, "data"), Ct));
        var manifests = V2("repositories", "library", "app", "_manifests");
        AssertLink(Path.Combine(manifests, "revisions", "sha256", m, "link"), m);
        AssertLink(Path.Combine(manifests, "tags", "v1", "current", "link"), m);
        AssertLink(Path.Combine(manifests, "tags", "v1", "index", "sha256", m, "link"), m);
    }

    [Fact]
    public async Task PushImage_Completed_LeavesNoUploadFolderAndOnlyRegistry2Folders()
    {
        var repository = _store.Repository(RepositoryName.Parse("app"));
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.CompleteAsync(upload.Id, Digest.Compute("blob"u8), TestContent.Stream("blob"u8.ToArray()), null, Ct);

        Assert.False(Directory.Exists(V2("repositories", "app", "_uploads", upload.Id.Value)));
        var folders = Directory.GetDirectories(V2("repositories", "app")).Select(Path.GetFileName);
        Assert.All(folders, folder => Assert.Contains(folder, new[] { "_layers", "_manifests", "_uploads" }));
    }

    [Fact]
    public async Task StartUpload_Always_WritesEmptyDataAndRfc3339StartedAt()
    {
        var repository = _store.Repository(RepositoryName.Parse("app"));

        var upload = await repository.Uploads.StartAsync(Ct);

        var folder = V2("repositories", "app", "_uploads", upload.Id.Value);
        Assert.Empty(await File.ReadAllBytesAsync(Path.Combine(folder, "data"), Ct));
        var startedAt = await File.ReadAllTextAsync(Path.Combine(folder, "startedat"), Ct);
        Assert.EndsWith("Z", startedAt, StringComparison.Ordinal);
        Assert.Equal(_time.Now, DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture));
        Assert.Equal(_time.Now, upload.StartedAt);
    }

    [Fact]
    public async Task AppendUpload_Chunk_GrowsTheDataFileInPlace()
    {
        var repository = _store.Repository(RepositoryName.Parse("app"));
        var upload = await repository.Uploads.StartAsync(Ct);

        await repository.Uploads.AppendAsync(upload.Id, TestContent.Stream("chunk-one"u8.ToArray()), null, Ct);

        // registry:2 takes the data file's size as the upload offset; another implementation resuming must agree.
        var data = V2("repositories", "app", "_uploads", upload.Id.Value, "data");
        Assert.Equal("chunk-one", await File.ReadAllTextAsync(data, Ct));
    }

    private static void AssertLink(string path, string hex) =>
        Assert.Equal(Encoding.ASCII.GetBytes("sha256:" + hex), File.ReadAllBytes(path));
}
