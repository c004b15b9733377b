using Berth.TestKit;

namespace Berth.Tests.Cli;

/// <summary>
/// A store pushed through a real <c>berth serve</c> with skopeo, then damaged five ways, and where each damage must be
/// reported: a flipped byte in a layer, a config blob deleted, a tag whose manifest revision is gone, a layer link
/// whose blob is gone, and a garbage manifest. <c>other/clean</c> stays healthy.
/// </summary>
internal sealed class DamagedStore
{
    public const string Repository = "team/app";

    private DamagedStore(GarbageCollectFolder folder) => Folder = folder;

    public GarbageCollectFolder Folder { get; }

    /// <summary>team/app:v1, one layer flipped.</summary>
    public required OciImageLayout Flipped { get; init; }

    /// <summary>team/app:v2, its config deleted.</summary>
    public required OciImageLayout WithoutConfig { get; init; }

    /// <summary>team/app:gone, its revision link deleted.</summary>
    public required OciImageLayout Untracked { get; init; }

    /// <summary>A blob linked into team/app whose content was deleted.</summary>
    public required string Orphan { get; init; }

    /// <summary>A revision of team/app whose content is no manifest.</summary>
    public required string Garbage { get; init; }

    /// <summary>(repository or null, kind, file) of every problem the check must report, in no order.</summary>
    public IReadOnlyList<(string? Repository, string Kind, string File)> ExpectedProblems =>
    [
        (null, "corrupt-blob", BlobData(Flipped.LayerDigests[0])),
        (Repository, "missing-referenced-blob", BlobData(WithoutConfig.ConfigDigest)),
        (Repository, "dangling-layer-link", LayerLink(WithoutConfig.ConfigDigest)),
        (Repository, "dangling-layer-link", LayerLink(Orphan)),
        (Repository, "dangling-tag", Path.Combine(RepositoryFolder, "_manifests", "tags", "gone", "current", "link")),
        (Repository, "unparseable-manifest", BlobData(Garbage)),
    ];

    /// <summary>Everything <c>--repair-links</c> may remove: the dangling tag's folder and the two dangling layer links' folders.</summary>
    public IReadOnlyList<string> RepairableFolders =>
    [
        Path.Combine(RepositoryFolder, "_manifests", "tags", "gone"),
        Path.GetDirectoryName(LayerLink(WithoutConfig.ConfigDigest))!,
        Path.GetDirectoryName(LayerLink(Orphan))!,
    ];

    public static async Task<DamagedStore> CreateAsync(GarbageCollectFolder folder, CancellationToken cancellationToken)
    {
        var flipped = OciImageLayout.Create(folder.LayoutDirectory("flipped"), "v1", 2048);
        var withoutConfig = OciImageLayout.Create(folder.LayoutDirectory("without-config"), "v2", 2048);
        var untracked = OciImageLayout.Create(folder.LayoutDirectory("untracked"), "gone", 2048);
        await PushAllAsync(folder, cancellationToken, (flipped, $"{Repository}:v1"), (withoutConfig, $"{Repository}:v2"), (untracked, $"{Repository}:gone"),
            (OciImageLayout.Create(folder.LayoutDirectory("clean"), "v1", 2048), "other/clean:v1"));
        var orphan = await folder.PushOrphanAsync(Repository, [1, 2, 3, 4], cancellationToken);
        var store = new DamagedStore(folder)
        {
            Flipped = flipped,
            WithoutConfig = withoutConfig,
            Untracked = untracked,
            Orphan = orphan,
            Garbage = folder.WriteRevision(Repository, "this is no manifest"u8.ToArray()),
        };

        var layer = store.BlobData(flipped.LayerDigests[0]);
        var bytes = await File.ReadAllBytesAsync(layer, cancellationToken);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(layer, bytes, cancellationToken);
        Directory.Delete(Path.GetDirectoryName(store.BlobData(withoutConfig.ConfigDigest))!, recursive: true);
        Directory.Delete(Path.GetDirectoryName(store.BlobData(orphan))!, recursive: true);
        Directory.Delete(Path.Combine(store.RepositoryFolder, "_manifests", "revisions", "sha256", OciImageLayout.Hex(untracked.ManifestDigest)), recursive: true);
        return store;
    }

    /// <summary>Pushes images into a clean store through a real berth serve, then stops it.</summary>
    public static async Task PushAllAsync(GarbageCollectFolder folder, CancellationToken cancellationToken,
        params (OciImageLayout Image, string Target)[] images)
    {
        await using var berth = await BerthProcess.StartAsync(folder.Root, cancellationToken: cancellationToken);
        foreach (var (image, target) in images)
        {
            await Skopeo.CopyAsync(image.Reference, $"docker://{berth.HostPort}/{target}", cancellationToken: cancellationToken);
        }
    }

    public string BlobData(string digest) =>
        Path.Combine(Folder.V2, "blobs", "sha256", OciImageLayout.Hex(digest)[..2], OciImageLayout.Hex(digest), "data");

    private string RepositoryFolder => Path.Combine(Folder.V2, "repositories", "team", "app");

    private string LayerLink(string digest) => Path.Combine(RepositoryFolder, "_layers", "sha256", OciImageLayout.Hex(digest), "link");
}
