using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Gc;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Gc;

/// <summary>Pushes through the real stores, collects, and looks at storage as registry:2 would.</summary>
public abstract class GcTestBase(Backend backend, bool clockedFiles = false) : StoreTestBase(backend, clockedFiles)
{
    /// <summary>The report lines of the last collection.</summary>
    protected IReadOnlyList<string> Output { get; private set; } = [];

    protected async Task<GarbageCollectionResult> CollectAsync(bool dryRun = false, bool deleteUntagged = false, bool quiet = false)
    {
        using var output = new StringWriter();
        var options = new GarbageCollectionOptions { DryRun = dryRun, DeleteUntagged = deleteUntagged, Quiet = quiet };
        var result = await GarbageCollector.RunAsync(Driver, options, output, Ct);
        Output = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return result;
    }

    protected Task<IRepository> RepositoryAsync(string name) => OpenRepositoryAsync(name, deleteEnabled: true);

    protected async Task<bool> BlobExistsAsync(Digest digest) => await Driver.StatAsync(RegistryPaths.BlobData(digest), Ct) is not null;

    protected async Task<bool> RevisionExistsAsync(string repository, Digest digest) =>
        await Driver.StatAsync(RegistryPaths.RevisionLink(RepositoryName.Parse(repository), digest), Ct) is not null;

    /// <summary>Every blob an image names and the manifest itself.</summary>
    protected static IReadOnlyList<Digest> ContentOf(ManifestBuilder image, StoredManifest manifest) =>
        [manifest.Digest, .. image.Blobs.Select(blob => Digest.Compute(blob))];

    /// <summary>Every file in storage with its size: what a dry run must leave exactly as it was.</summary>
    protected async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        var files = new List<string>();
        await WalkAsync(StoragePath.Root, files);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Reads the image back through a store opened afresh (no cache from the push): manifest by tag or digest and
    /// every blob, byte for byte.
    /// </summary>
    protected async Task AssertServedAsync(string repository, Reference reference, byte[] manifest, IEnumerable<byte[]> blobs)
    {
        var fresh = await OpenRepositoryAsync(repository);
        var stored = await fresh.Manifests.GetAsync(reference, Ct);
        Assert.NotNull(stored);
        Assert.Equal(manifest, stored.Bytes.ToArray());
        foreach (var blob in blobs)
        {
            var info = await fresh.Blobs.StatAsync(Digest.Compute(blob), Ct);
            Assert.NotNull(info);
            await using var stream = await fresh.Blobs.OpenReadAsync(info, 0, Ct);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            Assert.Equal(blob, copy.ToArray());
        }
    }

    protected static Reference TagRef(string tag) => Reference.Of(Tag.Parse(tag));

    private async Task WalkAsync(StoragePath folder, List<string> files)
    {
        await foreach (var entry in Driver.ListAsync(folder, Ct))
        {
            if (entry.IsDirectory)
            {
                await WalkAsync(entry.Path, files);
            }
            else
            {
                files.Add($"{entry.Path} {entry.Size}");
            }
        }
    }
}
