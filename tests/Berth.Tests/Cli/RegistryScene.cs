using System.Net;
using Berth.TestKit;
using Berth.Tests.Gc;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>
/// What <see cref="GarbageCollectRegistryFolderTests"/> pushes to docker-registry: two repositories sharing a layer
/// (one:v1 and two/app:stable), a tag moved so its old image is untagged (two/app:latest), a multi-arch index of two
/// platform images pushed by digest (multi:latest), an artifact referring to one:v1 by its subject (pushed by digest,
/// as referrers are), and a blob uploaded to one and never referenced.
/// </summary>
internal sealed class RegistryScene
{
    private readonly List<(string Repository, string Reference, Content Manifest, Content[] Blobs)> _served = [];

    private RegistryScene()
    {
    }

    public required Content Shared { get; init; }

    public required Content UntaggedOld { get; init; }

    public required Content Index { get; init; }

    public required Content[] Platforms { get; init; }

    public required Content Referrer { get; init; }

    public required Content Orphan { get; init; }

    /// <summary>
    /// What --delete-untagged leaves with Berth and not with registry:2: the configs and layers of the platform images
    /// (registry:2 keeps the platform manifests' bytes, which the index marks, but not what they name), the referrer
    /// and its blobs.
    /// </summary>
    public IReadOnlyList<string> KeptOnlyByBerth { get; private init; } = [];

    public static async Task<RegistryScene> PushAsync(string root, CancellationToken cancellationToken)
    {
        await using var registry = await DockerRegistryProcess.StartAsync(root, cancellationToken);
        using var http = new HttpClient { BaseAddress = registry.BaseUri };
        var pushed = new List<(string, string, Content, Content[])>();

        async Task<Content> ImageAsync(string repository, string reference, params Content[] layers)
        {
            var config = TestManifests.Config();
            var manifest = TestManifests.Image(config, layers);
            Content[] blobs = [config, .. layers];
            await PushAsync(http, repository, reference, manifest, blobs, cancellationToken);
            pushed.Add((repository, reference, manifest, blobs));
            return manifest;
        }

        var sharedLayer = TestManifests.Layer();
        var shared = await ImageAsync("one", "v1", sharedLayer, TestManifests.Layer());
        await ImageAsync("two/app", "stable", sharedLayer, TestManifests.Layer());
        var old = await ImageAsync("two/app", "latest", TestManifests.Layer());
        pushed.RemoveAt(pushed.Count - 1);
        await ImageAsync("two/app", "latest", TestManifests.Layer());

        var platformBlobs = new List<Content[]>();
        var platforms = new List<Content>();
        for (var platformCount = 0; platformCount < 2; platformCount++)
        {
            var config = TestManifests.Config();
            var layer = TestManifests.Layer();
            var platform = TestManifests.Image(config, [layer]);
            await PushAsync(http, "multi", platform.Digest, platform, [config, layer], cancellationToken);
            pushed.Add(("multi", platform.Digest, platform, [config, layer]));
            platforms.Add(platform);
            platformBlobs.Add([config, layer]);
        }

        var index = TestManifests.Index(platforms);
        await PushAsync(http, "multi", "latest", index, [], cancellationToken);

        var sbom = new Content("application/spdx+json", "{\"spdxVersion\":\"SPDX-2.3\"}"u8.ToArray());
        var referrer = TestManifests.Artifact("application/spdx+json", sbom, shared);
        await PushAsync(http, "one", referrer.Digest, referrer, [TestManifests.EmptyConfig, sbom], cancellationToken);
        pushed.Add(("one", referrer.Digest, referrer, [TestManifests.EmptyConfig, sbom]));

        var orphan = new Content("application/octet-stream", Digests.RandomBytes(100));
        await UploadAsync(http, "one", orphan, cancellationToken);
        await registry.StopAsync();

        string[] keptOnlyByBerth = [.. platformBlobs.SelectMany(b => b).Select(b => b.Digest),
            referrer.Digest, TestManifests.EmptyConfig.Digest, sbom.Digest];
        var scene = new RegistryScene
        {
            Shared = shared, UntaggedOld = old, Index = index, Platforms = [.. platforms], Referrer = referrer, Orphan = orphan,
            KeptOnlyByBerth = [.. keptOnlyByBerth.Order(StringComparer.Ordinal)],
        };
        scene._served.AddRange(pushed);
        return scene;
    }

    /// <summary>Every tagged image, each platform of the index (by digest, as a client pulls them) and the referrer pull whole.</summary>
    public async Task AssertServedAsync(HttpClient http, CancellationToken cancellationToken)
    {
        foreach (var (repository, reference, manifest, blobs) in _served)
        {
            await WholeImage.AssertPullsAsync(http, repository, reference, manifest, blobs, cancellationToken);
        }

        await WholeImage.AssertPullsAsync(http, "multi", "latest", Index, [], cancellationToken);
    }

    private static async Task PushAsync(HttpClient http, string repository, string reference, Content manifest, Content[] blobs,
        CancellationToken cancellationToken)
    {
        foreach (var blob in blobs)
        {
            await UploadAsync(http, repository, blob, cancellationToken);
        }

        using var put = await http.PutAsync($"v2/{repository}/manifests/{reference}", RegistryClient.ManifestBody(manifest), cancellationToken);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"{repository}:{reference}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>registry:2 takes no blob in the POST: start a session, then PUT the whole blob with its digest.</summary>
    private static async Task UploadAsync(HttpClient http, string repository, Content blob, CancellationToken cancellationToken)
    {
        using var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var session = new Uri(http.BaseAddress!, start.Headers.Location!);
        var separator = string.IsNullOrEmpty(session.Query) ? "?" : "&";
        using var body = new ByteArrayContent(blob.Bytes);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var complete = await http.PutAsync(new Uri(session + separator + "digest=" + blob.Digest), body, cancellationToken);
        Assert.True(complete.StatusCode == HttpStatusCode.Created, $"blob {blob.Digest}: {(int)complete.StatusCode}");
    }
}
