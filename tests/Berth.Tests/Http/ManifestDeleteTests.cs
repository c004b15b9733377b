using System.Net;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>DELETE by tag removes the tag only; DELETE by digest removes the manifest and every tag on it.</summary>
public sealed class ManifestDeleteTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Delete_Tag_RemovesOnlyThatTag()
    {
        var repository = Digests.NewRepository("delete");
        var manifest = await fixture.Registry.PushRandomImageAsync(repository, "keep");
        using (var tagged = await fixture.Registry.PutManifestAsync(repository, "drop", manifest))
        {
            Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        }

        using var deleted = await Http.DeleteAsync($"v2/{repository}/manifests/drop", Ct);
        using var dropped = await Http.GetAsync($"v2/{repository}/manifests/drop", Ct);
        using var kept = await Http.GetAsync($"v2/{repository}/manifests/keep", Ct);
        using var byDigest = await Http.GetAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ResponseAssert.ErrorAsync(dropped, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(manifest.Bytes, await byDigest.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(["keep"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task Delete_Digest_RemovesManifestAndItsTags()
    {
        var repository = Digests.NewRepository("delete");
        var other = await fixture.Registry.PushRandomImageAsync(repository, "other");
        var manifest = await fixture.Registry.PushRandomImageAsync(repository, "a");
        using (var tagged = await fixture.Registry.PutManifestAsync(repository, "b", manifest))
        {
            Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        }

        using var deleted = await Http.DeleteAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);
        using var byDigest = await Http.GetAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);
        using var byTag = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/a"), Ct);
        using var again = await Http.DeleteAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ResponseAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
        await ResponseAssert.ErrorAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(["other"], await fixture.Registry.TagsAsync(repository));
        Assert.NotEqual(other.Digest, manifest.Digest);
    }

    [Fact]
    public async Task Delete_UnknownTag_NotFoundManifestUnknown()
    {
        var repository = Digests.NewRepository("delete");
        await fixture.Registry.PushRandomImageAsync(repository, "v1");

        using var response = await Http.DeleteAsync($"v2/{repository}/manifests/v2", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Put_RetagAfterTagDelete_ServesNewTarget()
    {
        var repository = Digests.NewRepository("delete");
        await fixture.Registry.PushRandomImageAsync(repository, "v1");
        using var deleted = await Http.DeleteAsync($"v2/{repository}/manifests/v1", Ct);
        var second = await fixture.Registry.PushRandomImageAsync(repository, "v1");

        using var get = await Http.GetAsync($"v2/{repository}/manifests/v1", Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal(second.Digest, ResponseAssert.Header(get, "Docker-Content-Digest"));
    }
}
