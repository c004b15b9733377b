using System.Net;
using System.Text.Json;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// <c>DELETE /v2/&lt;name&gt;/</c> against a real berth: the repository's tags, manifests, links and uploads go, its
/// blobs stay for garbage collection, the catalog and tag list forget it, nothing beside it is touched, and it can
/// be pushed again.
/// </summary>
public sealed class RepositoryDeleteTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Http;

    private RegistryClient Registry => fixture.Registry;

    [Fact]
    public async Task Delete_Repository_GoneFromTagsListManifestsAndCatalog()
    {
        var repository = Digests.NewRepository("wipe");
        var manifest = await Registry.PushRandomImageAsync(repository, "v1");
        using (var tagged = await Registry.PutManifestAsync(repository, "latest", manifest))
        {
            Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        }

        var upload = await Registry.StartUploadAsync(repository);
        Assert.Contains(repository, await CatalogAsync());

        using var deleted = await Http.DeleteAsync($"v2/{repository}/", Ct);
        using var tags = await Http.GetAsync($"v2/{repository}/tags/list", Ct);
        using var byTag = await Http.GetAsync($"v2/{repository}/manifests/v1", Ct);
        using var byDigest = await Http.GetAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);
        using var uploadStatus = await Http.GetAsync(upload, Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ResponseAssert.ErrorAsync(tags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await ResponseAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ResponseAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ResponseAssert.ErrorAsync(uploadStatus, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.DoesNotContain(repository, await CatalogAsync());
        Assert.False(Directory.Exists(RepositoryFolder(repository)));
        // The content stays, shared by digest, until garbage collection finds nothing links it.
        Assert.True(File.Exists(BlobData(manifest.Digest)));
    }

    [Fact]
    public async Task Delete_UnknownRepository_NotFoundNameUnknown()
    {
        using var deleted = await Http.DeleteAsync($"v2/{Digests.NewRepository("wipe")}/", Ct);

        await ResponseAssert.ErrorAsync(deleted, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Delete_ThenPushAgain_ServedAndListed()
    {
        var repository = Digests.NewRepository("wipe");
        await Registry.PushRandomImageAsync(repository, "v1");
        using (var deleted = await Http.DeleteAsync($"v2/{repository}/", Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        var again = await Registry.PushRandomImageAsync(repository, "v2");

        Assert.Equal(["v2"], await Registry.TagsAsync(repository));
        Assert.Contains(repository, await CatalogAsync());
        using var get = await Http.GetAsync($"v2/{repository}/manifests/v2", Ct);
        Assert.Equal(again.Bytes, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Delete_ParentOfNestedRepository_KeepsTheNestedOneAndSiblings()
    {
        var parent = Digests.NewRepository("wipe");
        var nested = parent + "/app";
        var sibling = parent + "x";
        await Registry.PushRandomImageAsync(parent, "v1");
        await Registry.PushRandomImageAsync(nested, "v1");
        await Registry.PushRandomImageAsync(sibling, "v1");

        using var deleted = await Http.DeleteAsync($"v2/{parent}/", Ct);
        using var parentTags = await Http.GetAsync($"v2/{parent}/tags/list", Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ResponseAssert.ErrorAsync(parentTags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        Assert.Equal(["v1"], await Registry.TagsAsync(nested));
        Assert.Equal(["v1"], await Registry.TagsAsync(sibling));
        var catalog = await CatalogAsync();
        Assert.DoesNotContain(parent, catalog);
        Assert.Contains(nested, catalog);
        Assert.Contains(sibling, catalog);
        Assert.Equal([Path.Combine(RepositoryFolder(parent), "app")], Directory.GetFileSystemEntries(RepositoryFolder(parent)));
    }

    [Fact]
    public async Task Get_RepositoryPath_NotFound()
    {
        var repository = Digests.NewRepository("wipe");
        await Registry.PushRandomImageAsync(repository, "v1");

        using var get = await Http.GetAsync($"v2/{repository}/", Ct);

        await ResponseAssert.ErrorAsync(get, HttpStatusCode.NotFound, "UNSUPPORTED");
        Assert.Equal(["v1"], await Registry.TagsAsync(repository));
    }

    private async Task<List<string>> CatalogAsync()
    {
        using var response = await Http.GetAsync("v2/_catalog?n=1000", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return [.. json.RootElement.GetProperty("repositories").EnumerateArray().Select(name => name.GetString()!)];
    }

    private string RepositoryFolder(string repository) =>
        Path.Combine([fixture.Root, "docker", "registry", "v2", "repositories", .. repository.Split('/')]);

    private string BlobData(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(fixture.Root, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
    }
}
