using System.Globalization;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.TestKit;

namespace Berth.Tests.Cli;

/// <summary>
/// A registry folder and a config.yml naming it, filled through Berth's own stores (the layout <c>berth serve</c>
/// writes), for the garbage-collect command and registry:2's collector to work on.
/// </summary>
internal sealed class GarbageCollectFolder : IDisposable
{
    private readonly TempDirectory _temp = new("berth-gc");

    public GarbageCollectFolder()
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(ConfigFile, string.Create(CultureInfo.InvariantCulture, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {Root}
            """));
    }

    public string Root => _temp.Combine("registry");

    public string ConfigFile => _temp.Combine("config.yml");

    /// <summary>Where registry:2 keeps everything; what both collectors must leave alike.</summary>
    public string V2 => Path.Combine(Root, "docker", "registry", "v2");

    public string LayoutDirectory(string name) => _temp.Combine("layouts", name);

    /// <summary>Pushes the layout's image (its blobs, then its manifest) to <paramref name="repository"/>:<paramref name="tag"/>.</summary>
    public async Task PushAsync(OciImageLayout image, string repository, string tag, CancellationToken cancellationToken)
    {
        using var store = new RegistryStore(new FilesystemDriver(Root), new StoreOptions());
        await PushAsync(store.Repository(RepositoryName.Parse(repository)), image, Reference.Of(Tag.Parse(tag)), cancellationToken);
    }

    /// <summary>Pushes every image of the index by digest, then the index under <paramref name="tag"/>.</summary>
    public async Task PushIndexAsync(OciIndexLayout index, string repository, string tag, CancellationToken cancellationToken)
    {
        using var store = new RegistryStore(new FilesystemDriver(Root), new StoreOptions());
        var target = store.Repository(RepositoryName.Parse(repository));
        foreach (var image in index.Images.Values)
        {
            await PushAsync(target, image, Reference.Of(Digest.Parse(image.ManifestDigest)), cancellationToken);
        }

        await target.Manifests.PutAsync(Reference.Of(Tag.Parse(tag)), index.IndexBytes, OciIndexLayout.IndexMediaType, [], cancellationToken);
    }

    /// <summary>Uploads a blob no manifest names: what the collector must sweep.</summary>
    public async Task<string> PushOrphanAsync(string repository, byte[] content, CancellationToken cancellationToken)
    {
        using var store = new RegistryStore(new FilesystemDriver(Root), new StoreOptions());
        await PushBlobAsync(store.Repository(RepositoryName.Parse(repository)), content, cancellationToken);
        return OciImageLayout.DigestOf(content);
    }

    /// <summary>Writes manifest bytes and a revision link by hand, as another tool might have left them.</summary>
    public string WriteRevision(string repository, byte[] manifest)
    {
        var digest = OciImageLayout.DigestOf(manifest);
        var hex = OciImageLayout.Hex(digest);
        var data = Path.Combine(V2, "blobs", "sha256", hex[..2], hex, "data");
        var link = Path.Combine(V2, "repositories", repository, "_manifests", "revisions", "sha256", hex, "link");
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.WriteAllBytes(data, manifest);
        File.WriteAllText(link, digest);
        return digest;
    }

    public bool BlobExists(string digest) => File.Exists(Path.Combine(V2, "blobs", "sha256", OciImageLayout.Hex(digest)[..2], OciImageLayout.Hex(digest), "data"));

    /// <summary>
    /// Every file under <c>docker/registry/v2</c>, relative and sorted; Berth's own files left out (the referrers
    /// index, and <c>_berth/</c>, where its collector writes the storage used per repository), which registry:2 never reads.
    /// </summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(V2, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(V2, file))
            .Where(file => !file.Contains("/_referrers/", StringComparison.Ordinal) && !file.StartsWith("_berth/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    public void Dispose() => _temp.Dispose();

    private static async Task PushAsync(Core.Stores.IRepository target, OciImageLayout image, Reference reference, CancellationToken cancellationToken)
    {
        foreach (var digest in image.LayerDigests.Prepend(image.ConfigDigest))
        {
            await PushBlobAsync(target, image.ReadBlob(digest), cancellationToken);
        }

        await target.Manifests.PutAsync(reference, image.ManifestBytes, OciImageLayout.ManifestMediaType, [], cancellationToken);
    }

    private static async Task PushBlobAsync(Core.Stores.IRepository repository, byte[] content, CancellationToken cancellationToken)
    {
        var upload = await repository.Uploads.StartAsync(cancellationToken);
        using var body = new MemoryStream(content, writable: false);
        await repository.Uploads.CompleteAsync(upload.Id, Digest.Parse(OciImageLayout.DigestOf(content)), body, null, cancellationToken);
    }
}
