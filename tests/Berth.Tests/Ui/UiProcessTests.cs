using System.Net;
using System.Text.Json;
using Berth.TestKit;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Ui;

/// <summary>
/// The web page's server side against a real <c>berth serve</c>: where it is served, its headers, what its JSON says
/// right after a push, and the guard on its deletes. The browser walks the page in Berth.EndToEnd.Tests/Ui.
/// </summary>
public sealed class UiProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Root_PageOn_ServesShellWithSecurityHeaders()
    {
        await using var scene = await Scene.StartAsync();

        using var page = await scene.Http.GetAsync("/", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("/ui/assets/app.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asset_Revalidated_NotModified()
    {
        await using var scene = await Scene.StartAsync();

        using var first = await scene.Http.GetAsync("/ui/assets/app.js", Ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/assets/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await scene.Http.SendAsync(again, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains("textContent", await first.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Root_PageOff_EmptyAndNoApi()
    {
        await using var scene = await Scene.StartAsync(("REGISTRY_UI_ENABLED", "false"));

        using var root = await scene.Http.GetAsync("/", Ct);
        using var api = await scene.Http.GetAsync("/ui/api/session", Ct);
        using var asset = await scene.Http.GetAsync("/ui/assets/app.js", Ct);

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal(0, root.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
    }

    [Fact]
    public async Task Path_Moved_RootStaysEmpty()
    {
        await using var scene = await Scene.StartAsync(("REGISTRY_UI_PATH", "/browse/"));

        using var root = await scene.Http.GetAsync("/", Ct);
        using var page = await scene.Http.GetAsync("/browse/", Ct);

        Assert.Equal(0, root.Content.Headers.ContentLength);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Repositories_RightAfterPush_ListedWithTags()
    {
        await using var scene = await Scene.StartAsync();
        await scene.Registry.PushRandomImageAsync("team/app", "1.0");
        using (var before = await scene.GetJsonAsync("/ui/api/repositories"))
        {
            Assert.Equal(1, Repository(before, "team/app").GetProperty("tags").GetInt32());
        }

        // A second push right after the page looked: this node's own change shows at once, not after the cache ages.
        await scene.Registry.PushRandomImageAsync("team/app", "1.1");
        using var after = await scene.GetJsonAsync("/ui/api/repositories");

        Assert.Equal(2, Repository(after, "team/app").GetProperty("tags").GetInt32());
    }

    [Fact]
    public async Task Repository_TagsOfOneDigest_OneImageWithPlatform()
    {
        await using var scene = await Scene.StartAsync();
        var image = await scene.Registry.PushRandomImageAsync("team/app", "1.0");
        using (await scene.Http.PutAsync("/v2/team/app/manifests/stable", RegistryClient.ManifestBody(image), Ct))
        {
        }

        using var repository = await scene.GetJsonAsync("/ui/api/repository?name=team/app");
        var tags = repository.RootElement.GetProperty("tags").EnumerateArray().ToList();
        var images = repository.RootElement.GetProperty("images").EnumerateArray().ToList();

        // Each tag as [tag, index of its image], newest version first.
        Assert.Equal(["stable", "1.0"], tags.Select(tag => tag[0].GetString()));
        Assert.All(tags, tag => Assert.Equal(0, tag[1].GetInt32()));
        Assert.Single(images);
        Assert.Equal(image.Digest, images[0].GetProperty("digest").GetString());
        Assert.Equal(["linux/amd64"], images[0].GetProperty("platforms").EnumerateArray().Select(platform => platform.GetString()));
        Assert.True(images[0].GetProperty("size").GetInt64() > image.Bytes.Length);
    }

    [Fact]
    public async Task DeleteTag_FromThePage_RemovesThatTagOnly()
    {
        await using var scene = await Scene.StartAsync(("REGISTRY_STORAGE_DELETE_ENABLED", "true"));
        var image = await scene.Registry.PushRandomImageAsync("team/app", "1.0");
        using (await scene.Http.PutAsync("/v2/team/app/manifests/stable", RegistryClient.ManifestBody(image), Ct))
        {
        }

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/ui/api/tag?name=team/app&tag=1.0");
        delete.Headers.Add("X-Berth-Ui", "1");
        using var response = await scene.Http.SendAsync(delete, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["stable"], await scene.Registry.TagsAsync("team/app"));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("1", "http://evil.example")]
    public async Task DeleteTag_NotFromThePage_DeniedAndTagStays(string? header, string? origin)
    {
        await using var scene = await Scene.StartAsync(("REGISTRY_STORAGE_DELETE_ENABLED", "true"));
        await scene.Registry.PushRandomImageAsync("team/app", "1.0");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/ui/api/tag?name=team/app&tag=1.0");
        if (header is not null)
        {
            delete.Headers.Add("X-Berth-Ui", header);
        }

        if (origin is not null)
        {
            delete.Headers.Add("Origin", origin);
        }

        using var response = await scene.Http.SendAsync(delete, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"DENIED\"", body, StringComparison.Ordinal);
        Assert.Equal(["1.0"], await scene.Registry.TagsAsync("team/app"));
    }

    [Fact]
    public async Task DeleteTag_DeletionOff_Unsupported()
    {
        await using var scene = await Scene.StartAsync();
        await scene.Registry.PushRandomImageAsync("team/app", "1.0");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/ui/api/tag?name=team/app&tag=1.0");
        delete.Headers.Add("X-Berth-Ui", "1");
        using var response = await scene.Http.SendAsync(delete, Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["1.0"], await scene.Registry.TagsAsync("team/app"));
    }

    [Fact]
    public async Task Image_UnknownRepository_NameUnknown()
    {
        await using var scene = await Scene.StartAsync();

        using var response = await scene.Http.GetAsync("/ui/api/image?name=no/such&ref=latest", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"NAME_UNKNOWN\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static JsonElement Repository(JsonDocument repositories, string name) =>
        repositories.RootElement.GetProperty("repositories").EnumerateArray().Single(repository => repository.GetProperty("name").GetString() == name);

    private sealed class Scene : IAsyncDisposable
    {
        private readonly TempDirectory _root;
        private readonly BerthProcess _berth;

        private Scene(TempDirectory root, BerthProcess berth)
        {
            _root = root;
            _berth = berth;
            Http = new HttpClient { BaseAddress = berth.BaseUri };
            Registry = new RegistryClient(Http);
        }

        public HttpClient Http { get; }

        public RegistryClient Registry { get; }

        public static async Task<Scene> StartAsync(params (string Name, string Value)[] environment)
        {
            var root = new TempDirectory();
            var berth = await BerthProcess.StartAsync(root.Path, environment.ToDictionary(e => e.Name, e => e.Value), cancellationToken: Ct);
            return new Scene(root, berth);
        }

        public async Task<JsonDocument> GetJsonAsync(string path)
        {
            using var response = await Http.GetAsync(path, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _berth.DisposeAsync();
            _root.Dispose();
        }
    }
}
