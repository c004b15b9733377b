using System.Net;
using System.Security.Cryptography;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ScaleOut;

/// <summary>
/// Three berth nodes on one RGW bucket, with one Redis and without: whatever one node acknowledged, the others serve
/// at their next request, and an upload may move between nodes chunk by chunk.
/// </summary>
public sealed class ScaleOutTests(ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Skopeo_PushThroughOneNode_PulledThroughTheOthers(bool redis)
    {
        await using var cluster = await StartAsync(redis);
        var image = OciImageLayout.Create(fixture.Work.Combine($"image-{Guid.NewGuid():N}"), "v1", 300_000, 2_000_000);

        await Skopeo.CopyAsync(image.Reference, cluster.Docker(0, "team/app:v1"), cancellationToken: Token);

        for (var node = 1; node < cluster.Nodes.Count; node++)
        {
            var copy = fixture.Work.Combine($"pulled-{Guid.NewGuid():N}");
            var raw = await Skopeo.InspectAsync(cluster.Docker(node, "team/app:v1"), raw: true, Token);
            Assert.Equal(image.ManifestBytes, raw.StandardOutputBytes);
            await Skopeo.CopyAsync(cluster.Docker(node, "team/app:v1"), $"oci:{copy}:v1", cancellationToken: Token);
            foreach (var digest in image.LayerDigests.Append(image.ConfigDigest))
            {
                Assert.Equal(image.ReadBlob(digest), OciImageLayout.ReadOciBlob(copy, digest));
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ChunkedUpload_ChunksOnEveryNode_CompletesVerified(bool redis)
    {
        await using var cluster = await StartAsync(redis);
        // From one byte to 64 MiB, as the issue asks, in an order that makes every node append to what others wrote.
        int[] chunkSizes = [1, 5 << 20, 1, 64 << 20, 3, (6 << 20) + 17];
        var content = RandomNumberGenerator.GetBytes(chunkSizes.Sum());
        var digest = OciImageLayout.DigestOf(content);

        var location = await ChunkedUpload.StartAsync(Http, cluster[0], "chunked/app");
        var offset = 0;
        for (var i = 0; i < chunkSizes.Length; i++)
        {
            var node = cluster[1 + (i % 2)];
            using var patch = await ChunkedUpload.PatchAsync(Http, node, location, content, offset, chunkSizes[i], offset);
            Assert.True(patch.StatusCode == HttpStatusCode.Accepted, $"PATCH {i} on {node.HostPort}: {(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync(Token)}");
            offset += chunkSizes[i];
            Assert.Equal($"0-{offset - 1}", patch.Headers.GetValues("Range").Single());

            // Any node reports the session's progress.
            using var status = await Http.GetAsync(Url(cluster[i % 3], location), Token);
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{offset - 1}", status.Headers.GetValues("Range").Single());
        }

        using var finish = await Http.PutAsync(ChunkedUpload.CompleteUrl(cluster[0], location, digest), null, Token);
        Assert.True(finish.StatusCode == HttpStatusCode.Created, $"PUT: {(int)finish.StatusCode} {await finish.Content.ReadAsStringAsync(Token)}");

        using var blob = await Http.GetAsync(Url(cluster[2], $"v2/chunked/app/blobs/{digest}"), Token);
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Equal(digest, OciImageLayout.DigestOf(await blob.Content.ReadAsByteArrayAsync(Token)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TagMovedAndManifestDeleted_OnOneNode_SeenAtOnceByTheOthers(bool redis)
    {
        await using var cluster = await StartAsync(redis);
        var first = OciImageLayout.Create(fixture.Work.Combine($"first-{Guid.NewGuid():N}"), "v1", 1000);
        var second = OciImageLayout.Create(fixture.Work.Combine($"second-{Guid.NewGuid():N}"), "v1", 2000);
        await Skopeo.CopyAsync(first.Reference, cluster.Docker(0, "moving/app:stable"), cancellationToken: Token);
        // Every node has read the tag (and any cache it keeps is warm) before it moves.
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal(first.ManifestDigest, await ManifestDigestAsync(node, "moving/app", "stable"));
        }

        await Skopeo.CopyAsync(second.Reference, cluster.Docker(0, "moving/app:stable"), cancellationToken: Token);

        Assert.Equal(second.ManifestDigest, await ManifestDigestAsync(cluster[1], "moving/app", "stable"));
        Assert.Equal(second.ManifestDigest, await ManifestDigestAsync(cluster[2], "moving/app", "stable"));

        using var delete = await Http.DeleteAsync(Url(cluster[0], $"v2/moving/app/manifests/{second.ManifestDigest}"), Token);
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);

        foreach (var node in cluster.Nodes.Skip(1))
        {
            Assert.Null(await ManifestDigestAsync(node, "moving/app", second.ManifestDigest));
            Assert.Null(await ManifestDigestAsync(node, "moving/app", "stable"));
            Assert.Equal(first.ManifestDigest, await ManifestDigestAsync(node, "moving/app", first.ManifestDigest));
        }
    }

    [Fact]
    public async Task Catalog_RepositoryPushedOnOneNode_ListedAtOnceByTheOthersWithRedis()
    {
        await using var cluster = await StartAsync(redis: true);
        foreach (var node in cluster.Nodes)
        {
            Assert.Empty(await CatalogAsync(node));
        }

        var image = OciImageLayout.Create(fixture.Work.Combine($"image-{Guid.NewGuid():N}"), "v1", 1000);
        await Skopeo.CopyAsync(image.Reference, cluster.Docker(0, "listed/app:v1"), cancellationToken: Token);

        Assert.Equal(["listed/app"], await CatalogAsync(cluster[1]));
        Assert.Equal(["listed/app"], await CatalogAsync(cluster[2]));
    }

    private async Task<BerthCluster> StartAsync(bool redis)
    {
        var bucket = await fixture.NewBucketAsync();
        return await ScaleOutFixture.StartClusterAsync(fixture.NodeEnvironment(bucket, redis ? fixture.NewDatabase() : null));
    }

    /// <summary>The digest a GET of the manifest answers with, or null for 404.</summary>
    private static async Task<string?> ManifestDigestAsync(BerthProcess node, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(node, $"v2/{repository}/manifests/{reference}"));
        request.Headers.Accept.ParseAdd(OciImageLayout.ManifestMediaType);
        using var response = await Http.SendAsync(request, Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync(Token);
        var digest = OciImageLayout.DigestOf(body);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        return digest;
    }

    private static async Task<IReadOnlyList<string>> CatalogAsync(BerthProcess node)
    {
        var body = await Http.GetStringAsync(Url(node, "v2/_catalog"), Token);
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!)];
    }

    private static Uri Url(BerthProcess node, string pathAndQuery) => ChunkedUpload.Url(node, pathAndQuery);

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
