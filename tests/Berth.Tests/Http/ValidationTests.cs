using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>A berth whose <c>validation</c> section comes from REGISTRY_* variables, as a registry:3 deployment sets it.</summary>
public sealed class ValidationFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("berth-validation");
    private BerthProcess? _berth;
    private HttpClient? _http;

    public HttpClient Http => _http ?? throw new InvalidOperationException("fixture not started");

    public RegistryClient Registry => new(Http);

    public async ValueTask InitializeAsync()
    {
        _berth = await BerthProcess.StartAsync(_temp.Combine("root"), new Dictionary<string, string>
        {
            ["REGISTRY_VALIDATION_MANIFESTS_URLS_ALLOW"] = @"^https://layers\.example\.com/",
            ["REGISTRY_VALIDATION_MANIFESTS_URLS_DENY"] = "/private/",
            ["REGISTRY_VALIDATION_MANIFESTS_INDEXES_PLATFORMS"] = "none",
        });
        _http = new HttpClient(new ApiVersionCheck { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _berth.BaseUri };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        _temp.Dispose();
    }
}

/// <summary><c>validation</c> end to end: layer URLs refused with the OCI error body, sparse indexes accepted.</summary>
public sealed class ValidationTests(ValidationFixture fixture) : IClassFixture<ValidationFixture>
{
    private const string NonDistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutManifest_DeniedLayerUrl_BadRequestManifestInvalidNamingTheUrl()
    {
        var repository = Digests.NewRepository("validation");
        const string url = "https://layers.example.com/private/base.tar.gz";
        var (manifest, config) = ImageWithForeignLayer(url);
        await fixture.Registry.PushBlobAsync(repository, config);

        using var response = await fixture.Registry.PutManifestAsync(repository, "v1", manifest);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var get = await fixture.Http.GetAsync($"v2/{repository}/manifests/v1", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        Assert.Contains(url, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task PutManifest_AllowedLayerUrl_CreatedWithoutTheLayerBlob()
    {
        var repository = Digests.NewRepository("validation");
        var (manifest, config) = ImageWithForeignLayer("https://layers.example.com/base.tar.gz");
        await fixture.Registry.PushBlobAsync(repository, config);

        using var response = await fixture.Registry.PutManifestAsync(repository, "v1", manifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PutManifest_SparseIndexWithPlatformsNone_CreatedAndServed()
    {
        var repository = Digests.NewRepository("validation");
        var present = await fixture.Registry.PushRandomImageAsync(repository, "amd64");
        var absent = TestManifests.Image(TestManifests.Config(), [TestManifests.Layer()]);
        var index = TestManifests.Index([present, absent]);

        using var response = await fixture.Registry.PutManifestAsync(repository, "multi", index);
        using var get = await fixture.Http.GetAsync($"v2/{repository}/manifests/multi", Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(index.Bytes, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Serve_BadAllowPattern_StopsTheStartNamingTheKey()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve"], new Dictionary<string, string>
        {
            ["REGISTRY_STORAGE"] = "inmemory",
            ["REGISTRY_VALIDATION_MANIFESTS_URLS_ALLOW"] = "[^https://ok/, '(unclosed']",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("validation.manifests.urls.allow.1:", output, StringComparison.Ordinal);
    }

    /// <summary>An OCI image whose only layer is non-distributable, at <paramref name="url"/>; the config is to push.</summary>
    private static (Content Manifest, Content Config) ImageWithForeignLayer(string url)
    {
        var config = TestManifests.Config();
        var layer = TestManifests.Layer(NonDistributable).Descriptor();
        layer["urls"] = new JsonArray(url);
        var document = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = TestManifests.OciManifest,
            ["config"] = config.Descriptor(),
            ["layers"] = new JsonArray(layer),
        };
        return (new Content(TestManifests.OciManifest, Encoding.UTF8.GetBytes(document.ToJsonString())), config);
    }
}
