using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;
using Berth.TestKit;

namespace Berth.Storage.Tests.Drivers;

/// <summary>The conformance suite on disk, plus what only a local folder can get wrong: escaping its root.</summary>
public sealed class FilesystemDriverTests : StorageDriverConformanceTests, IDisposable
{
    private readonly TempDirectory _temp = new("berth-fs");

    // The root is a child of the temp folder, so the test can see whether anything lands beside it.
    private string Root => _temp.Combine("root");

    protected override IStorageDriver CreateDriver() => new FilesystemDriver(Root);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StoreWorkout_Always_WritesNothingOutsideTheRootAndLeavesNoTempFiles()
    {
        await WorkoutAsync();

        Assert.Equal([Root], Directory.GetFileSystemEntries(_temp.Path));
        Assert.All(Directory.GetFileSystemEntries(Root), entry => Assert.Contains(Path.GetFileName(entry), new[] { "docker", ".berth-tmp" }));
        var tempFolder = Path.Combine(Root, ".berth-tmp");
        Assert.True(!Directory.Exists(tempFolder) || Directory.GetFileSystemEntries(tempFolder).Length == 0,
            "committed and abandoned writers must not leave temp files behind");
    }

    [Fact]
    public async Task Writer_BeforeCommit_WritesOnlyUnderBerthTmp()
    {
        await using var writer = await Driver.OpenWriteAsync(P("docker/file"), append: false, Ct);
        await writer.WriteAsync("pending"u8.ToArray(), Ct);

        var files = Directory.GetFiles(Root, "*", SearchOption.AllDirectories);
        var only = Assert.Single(files);
        Assert.Equal(Path.Combine(Root, ".berth-tmp"), Path.GetDirectoryName(only));

        await writer.CommitAsync(Ct);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, ".berth-tmp")));
        Assert.True(File.Exists(Path.Combine(Root, "docker", "file")));
    }

    [Fact]
    public async Task List_Root_HidesTheTempFolder()
    {
        await WriteAsync("visible", "x");
        Assert.True(Directory.Exists(Path.Combine(Root, ".berth-tmp")));

        var names = (await ListAsync(StoragePath.Root)).Select(e => e.Path.Name);

        Assert.Equal(["visible"], names);
    }

    [Fact]
    public async Task LocalPath_File_PointsInsideTheRoot()
    {
        await WriteAsync("a/b/file", "content");

        var local = Driver.LocalPath(P("a/b/file"));

        Assert.Equal(Path.Combine(Root, "a", "b", "file"), local);
        Assert.Equal("content", await File.ReadAllTextAsync(local!, Ct));
    }

    [Fact]
    public void LocalPath_Root_IsTheRootFolder()
    {
        Assert.Equal(Path.GetFullPath(Root), Driver.LocalPath(StoragePath.Root));
    }

    /// <summary>Every kind of write the stores do, including the failing ones, which must clean up too.</summary>
    private async Task WorkoutAsync()
    {
        using var store = new RegistryStore(Driver, new StoreOptions { DeleteEnabled = true });
        await store.InitializeAsync(Ct);
        var repository = store.Repository(RepositoryName.Parse("work/out"));
        var uploads = repository.Uploads;

        var image = new ManifestBuilder().Layer(TestContent.Random(70_000, 3));
        foreach (var blob in image.Blobs)
        {
            var started = await uploads.StartAsync(Ct);
            await uploads.AppendAsync(started.Id, TestContent.Stream(blob[..10]), new ChunkRange(0, 9), Ct);
            await uploads.CompleteAsync(started.Id, Digest.Compute(blob), TestContent.Stream(blob[10..]), null, Ct);
        }

        var manifest = await repository.Manifests.PutAsync(Reference.Of(Tag.Parse("v1")), image.Build(), null, [Tag.Parse("latest")], Ct);
        var signature = new ManifestBuilder().Config("{}"u8.ToArray(), "application/vnd.oci.empty.v1+json").ArtifactType("application/x.sig")
            .Subject(manifest.Digest, manifest.Bytes.Length);
        await PushAllAsync(repository, signature.Blobs);
        await repository.Manifests.PutAsync(Reference.Of(Tag.Parse("sig")), signature.Build(), null, [], Ct);

        var wrong = await uploads.StartAsync(Ct);
        await Assert.ThrowsAsync<RegistryException>(() =>
            uploads.CompleteAsync(wrong.Id, Digest.Compute("other"u8), TestContent.Stream("data"u8.ToArray()), null, Ct));
        var cut = await uploads.StartAsync(Ct);
        await Assert.ThrowsAsync<IOException>(() => uploads.AppendAsync(cut.Id, new ThrowingStream(new byte[5000], 2500), null, Ct));
        var oversized = await uploads.StartAsync(Ct);
        await Assert.ThrowsAsync<RegistryException>(() =>
            uploads.AppendAsync(oversized.Id, TestContent.Stream(new byte[10]), new ChunkRange(0, 4), Ct));
        await uploads.CancelAsync(cut.Id, Ct);

        await store.Repository(RepositoryName.Parse("mounted")).Blobs.MountAsync(Digest.Compute(image.ConfigBytes), repository.Name, Ct);
        await repository.Manifests.DeleteAsync(Reference.Of(Tag.Parse("latest")), Ct);
        await repository.Manifests.DeleteAsync(Reference.Of(manifest.Digest), Ct);
        await repository.Blobs.DeleteAsync(Digest.Compute(image.ConfigBytes), Ct);
    }

    private static async Task PushAllAsync(IRepository repository, IEnumerable<byte[]> blobs)
    {
        foreach (var blob in blobs)
        {
            var started = await repository.Uploads.StartAsync(Ct);
            await repository.Uploads.CompleteAsync(started.Id, Digest.Compute(blob), TestContent.Stream(blob), null, Ct);
        }
    }
}
