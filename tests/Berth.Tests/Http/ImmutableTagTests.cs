using System.Net;
using System.Text.Json;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>A berth whose <c>prod/**</c> repositories keep their <c>v*</c> and <c>release-*</c> tags forever.</summary>
public sealed class ImmutableTagsFixture : BerthFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [new("REGISTRY_STORAGE_IMMUTABLETAGS", """[{repositories: ["prod/**"], tags: ["v*", "release-*"]}]""")];
}

/// <summary>
/// <c>storage.immutabletags</c> against a real berth: the first push and same-digest re-pushes work; moving or
/// deleting the tag, or deleting the manifest it names, is refused with 409 DENIED naming the rule; other tags and
/// repositories behave as before.
/// </summary>
public sealed class ImmutableTagTests(ImmutableTagsFixture fixture) : IClassFixture<ImmutableTagsFixture>
{
    private const string RuleText = "storage.immutabletags.0 (repositories: prod/**; tags: v*, release-*)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Http;

    private RegistryClient Registry => fixture.Registry;

    [Fact]
    public async Task Put_FirstPushThenSameDigest_BothCreated()
    {
        var repository = Digests.NewRepository("prod");
        var manifest = await Registry.PushRandomImageAsync(repository, "v1");

        using var again = await Registry.PutManifestAsync(repository, "v1", manifest);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(manifest.Digest, ResponseAssert.Header(again, "Docker-Content-Digest"));
        Assert.Equal(["v1"], await Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task Put_OtherDigest_Refused409DeniedAndTagUnmoved()
    {
        var repository = Digests.NewRepository("prod");
        var first = await Registry.PushRandomImageAsync(repository, "release-1");
        var second = await Registry.PushRandomImageAsync(repository, "scratch");

        using var moved = await Registry.PutManifestAsync(repository, "release-1", second);

        var detail = await DeniedDetailAsync(moved);
        Assert.Contains($"{repository}:release-1 is immutable and points at {first.Digest}", detail, StringComparison.Ordinal);
        Assert.Contains(second.Digest, detail, StringComparison.Ordinal);
        Assert.Contains(RuleText, detail, StringComparison.Ordinal);
        Assert.Equal(first.Digest, await DigestOfAsync(repository, "release-1"));
    }

    [Fact]
    public async Task Put_ByDigestWithTagQuery_MovingRefused()
    {
        var repository = Digests.NewRepository("prod");
        await Registry.PushRandomImageAsync(repository, "v2");
        var other = await Registry.PushRandomImageAsync(repository, "scratch");

        using var moved = await Http.PutAsync($"v2/{repository}/manifests/{other.Digest}?tag=v2", RegistryClient.ManifestBody(other), Ct);

        await DeniedDetailAsync(moved);
    }

    [Fact]
    public async Task Delete_ByTag_Refused409DeniedAndTagKept()
    {
        var repository = Digests.NewRepository("prod");
        var manifest = await Registry.PushRandomImageAsync(repository, "v3");

        using var deleted = await Http.DeleteAsync($"v2/{repository}/manifests/v3", Ct);

        var detail = await DeniedDetailAsync(deleted);
        Assert.Contains($"{repository}:v3 is immutable and cannot be deleted", detail, StringComparison.Ordinal);
        Assert.Equal(manifest.Digest, await DigestOfAsync(repository, "v3"));
    }

    [Fact]
    public async Task Delete_ByDigestAnImmutableTagNames_Refused409DeniedAndManifestKept()
    {
        var repository = Digests.NewRepository("prod");
        var manifest = await Registry.PushRandomImageAsync(repository, "v4");
        using (var alsoLatest = await Registry.PutManifestAsync(repository, "latest", manifest))
        {
            Assert.Equal(HttpStatusCode.Created, alsoLatest.StatusCode);
        }

        using var deleted = await Http.DeleteAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);

        var detail = await DeniedDetailAsync(deleted);
        Assert.Contains($"{manifest.Digest} is tagged {repository}:v4", detail, StringComparison.Ordinal);
        Assert.Equal(["latest", "v4"], await Registry.TagsAsync(repository));
        Assert.Equal(manifest.Digest, await DigestOfAsync(repository, "latest"));
    }

    [Fact]
    public async Task OtherTagsAndRepositories_MoveAndDeleteAsBefore()
    {
        var prod = Digests.NewRepository("prod");
        var dev = Digests.NewRepository("dev");
        await Registry.PushRandomImageAsync(prod, "latest");
        await Registry.PushRandomImageAsync(dev, "v1");

        var movedLatest = await Registry.PushRandomImageAsync(prod, "latest");
        var movedDev = await Registry.PushRandomImageAsync(dev, "v1");
        using var deletedLatest = await Http.DeleteAsync($"v2/{prod}/manifests/latest", Ct);
        using var deletedDevDigest = await Http.DeleteAsync($"v2/{dev}/manifests/{movedDev.Digest}", Ct);

        Assert.NotEqual(string.Empty, movedLatest.Digest);
        Assert.Equal(HttpStatusCode.Accepted, deletedLatest.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, deletedDevDigest.StatusCode);
        Assert.Empty(await Registry.TagsAsync(prod));
        Assert.Empty(await Registry.TagsAsync(dev));
    }

    [Fact]
    public async Task DeleteRepository_HoldingAnImmutableTag_Refused409DeniedAndKept()
    {
        var repository = Digests.NewRepository("prod");
        await Registry.PushRandomImageAsync(repository, "v5");

        using var deleted = await Http.DeleteAsync($"v2/{repository}/", Ct);

        var detail = await DeniedDetailAsync(deleted);
        Assert.Contains($"{repository} holds the immutable tag v5", detail, StringComparison.Ordinal);
        Assert.Equal(["v5"], await Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task DeleteRepository_OnlyMutableTags_Deleted()
    {
        var repository = Digests.NewRepository("prod");
        await Registry.PushRandomImageAsync(repository, "latest");

        using var deleted = await Http.DeleteAsync($"v2/{repository}/", Ct);
        using var tags = await Http.GetAsync($"v2/{repository}/tags/list", Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ResponseAssert.ErrorAsync(tags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    /// <summary>Asserts 409 with the DENIED envelope and returns its detail.</summary>
    private static async Task<string> DeniedDetailAsync(HttpResponseMessage response)
    {
        await ResponseAssert.ErrorAsync(response, HttpStatusCode.Conflict, "DENIED");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal("the tag is immutable", error.GetProperty("message").GetString());
        return error.GetProperty("detail").GetString()!;
    }

    private async Task<string?> DigestOfAsync(string repository, string tag)
    {
        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}"), Ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        return ResponseAssert.Header(head, "Docker-Content-Digest");
    }
}
