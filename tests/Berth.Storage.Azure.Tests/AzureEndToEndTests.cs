using System.Net;
using Azure.Storage.Blobs;
using Berth.TestKit;

namespace Berth.Storage.Azure.Tests;

/// <summary>A real <c>berth serve</c> on Azurite, configured only by REGISTRY_* variables, driven by skopeo and plain HTTP.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class AzureEndToEndTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SkopeoCopy_InAndOut_KeepsEveryDigestAndStoresRegistry2Layout()
    {
        using var work = new TempDirectory("berth-azure-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1", 3_000_000, 20_000);
        var options = azurite.Options();
        await using var berth = await StartBerthAsync(work, options);

        await Skopeo.CopyAsync(image.Reference, $"docker://{berth.HostPort}/azure/app:v1", cancellationToken: Ct);
        await Skopeo.CopyAsync($"docker://{berth.HostPort}/azure/app:v1", $"oci:{work.Combine("out")}:v1", cancellationToken: Ct);

        var served = (await Skopeo.InspectAsync($"docker://{berth.HostPort}/azure/app:v1", raw: true, Ct)).StandardOutput;
        Assert.Equal(image.ManifestDigest, OciImageLayout.DigestOf(System.Text.Encoding.UTF8.GetBytes(served)));
        foreach (var digest in image.LayerDigests.Append(image.ConfigDigest))
        {
            Assert.Equal(image.ReadBlob(digest), OciImageLayout.ReadOciBlob(work.Combine("out"), digest));
        }

        var container = new BlobContainerClient(azurite.Azurite.ConnectionString, options.Container);
        var hex = OciImageLayout.Hex(image.LayerDigests[0]);
        Assert.True(await container.GetBlobClient($"docker/registry/v2/blobs/sha256/{hex[..2]}/{hex}/data").ExistsAsync(Ct));
        Assert.True(await container.GetBlobClient("docker/registry/v2/repositories/azure/app/_manifests/tags/v1/current/link").ExistsAsync(Ct));
    }

    [Fact]
    public async Task BlobGet_Redirect_Answers307ToASasUrlThatServesTheBytes()
    {
        using var work = new TempDirectory("berth-azure-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1", 200_000);
        await using var berth = await StartBerthAsync(work, azurite.Options());
        await Skopeo.CopyAsync(image.Reference, $"docker://{berth.HostPort}/azure/app:v1", cancellationToken: Ct);
        var layer = image.LayerDigests[0];

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await noRedirects.GetAsync(new Uri(berth.BaseUri, $"v2/azure/app/blobs/{layer}"), Ct);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(azurite.Azurite.Port, location.Port);
        Assert.Contains("sig=", location.Query, StringComparison.Ordinal);
        using var plain = new HttpClient();
        Assert.Equal(image.ReadBlob(layer), await plain.GetByteArrayAsync(location, Ct));
    }

    [Fact]
    public async Task BlobGet_RedirectDisabled_StreamsThroughBerthWithRange()
    {
        using var work = new TempDirectory("berth-azure-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1", 200_000);
        await using var berth = await StartBerthAsync(work, azurite.Options(), ("REGISTRY_STORAGE_REDIRECT_DISABLE", "true"));
        await Skopeo.CopyAsync(image.Reference, $"docker://{berth.HostPort}/azure/app:v1", cancellationToken: Ct);
        var layer = image.LayerDigests[0];

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(berth.BaseUri, $"v2/azure/app/blobs/{layer}"))
        {
            Headers = { Range = new(1000, 1999) },
        };
        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(image.ReadBlob(layer)[1000..2000], await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private Task<BerthProcess> StartBerthAsync(TempDirectory work, AzureStorageOptions options, params (string Name, string Value)[] more)
    {
        var environment = azurite.Azurite.RegistryEnvironment(options.Container);
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return BerthProcess.StartAsync(work.Combine("unused"), environment, cancellationToken: Ct);
    }
}
