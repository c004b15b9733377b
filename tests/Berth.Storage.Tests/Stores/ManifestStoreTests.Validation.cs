using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Core.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

/// <summary>The <c>validation</c> rules on PUT: layer URLs and which index entries must exist.</summary>
public abstract partial class ManifestStoreTests
{
    private const string ForeignUrl = "https://layers.example.com/base.tar.gz";

    private static readonly ManifestValidationOptions AllowExample = Urls(allow: [@"^https://layers\.example\.com/"], deny: [@"/private/"]);

    private static ManifestValidationOptions Urls(string[] allow, string[] deny) => new()
    {
        Urls = new ManifestUrlPolicy(allow.Length == 0 ? null : allow.Select(Pattern).ToList(), deny.Select(Pattern).ToList()),
    };

    private static Regex Pattern(string pattern) => new(pattern, RegexOptions.NonBacktracking);

    [Fact]
    public async Task Put_NonDistributableLayerWithAllowedUrl_AcceptedWithoutItsBlob()
    {
        var (repository, image) = await ImageWithUrlLayerAsync(AllowExample, MediaTypes.OciNonDistributableLayerGzip, ForeignUrl);

        var stored = await repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct);

        Assert.True(stored.Manifest.Layers[1].HasUrls);
        Assert.NotNull(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
    }

    [Fact]
    public async Task Put_DockerForeignLayerWithAllowedUrl_AcceptedWithoutItsBlob()
    {
        var (repository, image) = await ImageWithUrlLayerAsync(AllowExample, MediaTypes.DockerForeignLayer, ForeignUrl);

        await repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct);

        Assert.NotNull(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
    }

    [Theory]
    [InlineData("https://layers.example.com/private/base.tar.gz")] // matches deny
    [InlineData("https://other.example.org/base.tar.gz")] // matches no allow pattern
    [InlineData("ftp://layers.example.com/base.tar.gz")] // not http(s), though allow would match the rest
    [InlineData("https://layers.example.com/base.tar.gz#part")] // a fragment
    public async Task Put_LayerUrlRefused_ThrowsManifestInvalidNamingTheUrl(string url)
    {
        var validation = Urls(allow: [@"layers\.example\.com/"], deny: [@"/private/"]);
        var (repository, image) = await ImageWithUrlLayerAsync(validation, MediaTypes.OciNonDistributableLayerGzip, url);

        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Contains(url, error.Detail, StringComparison.Ordinal);
        Assert.Null(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
    }

    [Fact]
    public async Task Put_LayerUrlWithoutAllowList_ThrowsManifestInvalid()
    {
        var (repository, image) = await ImageWithUrlLayerAsync(ManifestValidationOptions.Default, MediaTypes.DockerForeignLayer, ForeignUrl);

        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        Assert.Contains("validation.manifests.urls.allow", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_DenyListOnly_AcceptsOtherHttpUrls()
    {
        var (repository, image) = await ImageWithUrlLayerAsync(Urls(allow: [], deny: ["/private/"]), MediaTypes.DockerForeignLayer, ForeignUrl);

        await repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct);

        Assert.NotNull(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
    }

    [Fact]
    public async Task Put_ValidationDisabled_AcceptsAnyHttpUrlButNoOtherScheme()
    {
        var (repository, image) = await ImageWithUrlLayerAsync(ManifestValidationOptions.Disabled, MediaTypes.DockerForeignLayer, "http://anywhere.test/x");
        await repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct);

        var (_, ftp) = await ImageWithUrlLayerAsync(ManifestValidationOptions.Disabled, MediaTypes.DockerForeignLayer, "ftp://anywhere.test/x");
        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(TagRef("v2"), ftp, null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
    }

    [Fact]
    public async Task Put_DistributableLayerWithAllowedUrl_StillNeedsItsBlob()
    {
        var (repository, image) = await ImageWithUrlLayerAsync(AllowExample, ManifestBuilder.LayerMediaType, ForeignUrl);

        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
    }

    [Fact]
    public async Task Put_DockerForeignLayerWithoutUrls_ThrowsManifestInvalid()
    {
        var (repository, image) = await ImageWithUrlLayerAsync(AllowExample, MediaTypes.DockerForeignLayer);

        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(TagRef("v1"), image, null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
    }

    [Fact]
    public async Task Put_SparseIndexWithPlatformsNone_IsStored()
    {
        var repository = (await OpenStoreAsync(validation: new() { IndexChildren = IndexChildPolicy.None })).Repository(RepositoryName.Parse("app"));
        var index = PlatformIndex(("linux", "amd64", Image(1).Build()), ("linux", "arm64", Image(2).Build()));

        var stored = await repository.Manifests.PutAsync(TagRef("multi"), index, null, [], Ct);

        Assert.Equal(2, stored.Manifest.Manifests.Count);
        Assert.Equal(index, (await repository.Manifests.GetAsync(TagRef("multi"), Ct))!.Bytes.ToArray());
    }

    [Fact]
    public async Task Put_SparseIndexWithPlatformsAll_ThrowsManifestBlobUnknown()
    {
        var repository = await OpenRepositoryAsync("app");
        var present = await PushImageAsync(repository, Image(1), null);
        var absent = Image(2).Build();
        var index = PlatformIndex(("linux", "amd64", present.Bytes.ToArray()), ("linux", "arm64", absent));

        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(TagRef("multi"), index, null, [], Ct));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
        Assert.Equal(Digest.Compute(absent).ToString(), error.Detail);
    }

    [Fact]
    public async Task Put_PlatformList_OnlyListedPlatformsMustExist()
    {
        var validation = new ManifestValidationOptions { IndexChildren = IndexChildPolicy.ForPlatforms([new Platform("linux", "amd64")]) };
        var repository = (await OpenStoreAsync(validation: validation)).Repository(RepositoryName.Parse("app"));
        var amd64 = await PushImageAsync(repository, Image(1), null);
        var missingArm64 = Image(2).Build();
        var missingAmd64 = Image(3).Build();

        await repository.Manifests.PutAsync(TagRef("arm-missing"), PlatformIndex(("linux", "amd64", amd64.Bytes.ToArray()), ("linux", "arm64", missingArm64)), null, [], Ct);
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Manifests.PutAsync(TagRef("amd-missing"), PlatformIndex(("linux", "amd64", missingAmd64), ("linux", "arm64", missingArm64)), null, [], Ct));

        Assert.NotNull(await repository.Manifests.GetAsync(TagRef("arm-missing"), Ct));
        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
        Assert.Equal(Digest.Compute(missingAmd64).ToString(), error.Detail);
    }

    /// <summary>
    /// A repository under <paramref name="validation"/> holding an image's config and first layer, and that image's
    /// manifest with a second layer of <paramref name="mediaType"/> carrying <paramref name="urls"/> whose blob was never pushed.
    /// </summary>
    private async Task<(IRepository Repository, byte[] Manifest)> ImageWithUrlLayerAsync(ManifestValidationOptions validation,
        string mediaType, params string[] urls)
    {
        var repository = (await OpenStoreAsync(validation: validation)).Repository(RepositoryName.Parse("app"));
        var image = Image(1);
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(repository, blob);
        }

        var manifest = JsonNode.Parse(image.Build())!.AsObject();
        var layer = ManifestBuilder.Descriptor(mediaType, TestContent.Random(300, seed: 9));
        if (urls.Length > 0)
        {
            layer["urls"] = new JsonArray([.. urls.Select(url => (JsonNode)url)]);
        }

        manifest["layers"]!.AsArray().Add(layer);
        return (repository, JsonSerializer.SerializeToUtf8Bytes(manifest));
    }

    private static byte[] PlatformIndex(params (string Os, string Architecture, byte[] Child)[] entries)
    {
        var index = JsonNode.Parse(ManifestBuilder.Index(entries.Select(e => e.Child)))!.AsObject();
        var manifests = index["manifests"]!.AsArray();
        for (var i = 0; i < entries.Length; i++)
        {
            manifests[i]!["platform"] = new JsonObject { ["os"] = entries[i].Os, ["architecture"] = entries[i].Architecture };
        }

        return JsonSerializer.SerializeToUtf8Bytes(index);
    }
}
