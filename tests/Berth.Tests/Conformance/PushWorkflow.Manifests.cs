using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>Cross-repository mount, manifest upload and teardown of the Push workflow.</summary>
internal sealed partial class PushWorkflow
{
    private IEnumerable<Spec> CrossMount()
    {
        var crossmount = Options.CrossmountNamespace;
        yield return new(nameof(PushTests.Push_Mount_WithoutFrom_ReturnsSession), "Cross-mounting of a blob without the from argument should yield session id", async () =>
        {
            var response = await Client.Request(HttpMethod.Post, Uploads).WithName(crossmount).Query("mount", ConformanceData.DummyDigest).SendAsync();
            Expect.Status(response, 202);
            Assert.NotEmpty(response.AbsoluteLocation);
        });
        yield return new(nameof(PushTests.Push_Mount_FromOtherRepository_Returns201Or202), "POST request to mount another repository's blob should return 201 or 202", async () =>
        {
            var response = await Client.Request(HttpMethod.Post, Uploads).WithName(crossmount)
                .Query("mount", Data.BlobA.Digest).Query("from", Client.DefaultName).SendAsync();
            Expect.Status(response, 201, 202);
            _last = response;
        });
        yield return new(nameof(PushTests.Push_Mount_GetMountedBlob_Returns200), "GET request to test digest within cross-mount namespace should return 200", async () =>
        {
            Run.OnlyIf(_last?.Status == 201);
            Assert.Equal($"/v2/{crossmount}/blobs/{Data.BlobA.Digest}", _last!.RelativeLocation);
            Expect.Status(await Client.Request(HttpMethod.Get, _last.RelativeLocation).SendAsync(), 200);
        });
        yield return new(nameof(PushTests.Push_Mount_NonexistentBlob_ReturnsSession), "Cross-mounting of nonexistent blob should yield session id", () =>
        {
            Run.OnlyIf(_last?.Status == 202);
            Assert.StartsWith($"/v2/{crossmount}/blobs/uploads/", _last!.RelativeLocation, StringComparison.Ordinal);
            return Task.CompletedTask;
        });
        yield return new(nameof(PushTests.Push_Mount_AutomaticWithoutFromEnabled_Returns201),
            "Cross-mounting without from, and automatic content discovery enabled should return a 201",
            () => MountWithoutFromAsync(automatic: true, expected: 201));
        yield return new(nameof(PushTests.Push_Mount_AutomaticWithoutFromDisabled_Returns202),
            "Cross-mounting without from, and automatic content discovery disabled should return a 202",
            () => MountWithoutFromAsync(automatic: false, expected: 202));
    }

    // Runs only when OCI_AUTOMATIC_CROSSMOUNT is set and the mount with from succeeded.
    private async Task MountWithoutFromAsync(bool automatic, int expected)
    {
        Run.OnlyIf(Options.AutomaticCrossmount.HasValue);
        Run.OnlyIf(_last?.Status == 201);
        Run.OnlyIf(Options.AutomaticCrossmount == automatic);
        var response = await Client.Request(HttpMethod.Post, Uploads).WithName(Options.CrossmountNamespace)
            .Query("mount", Data.BlobA.Digest).SendAsync();
        Expect.Status(response, expected);
    }

    private IEnumerable<Spec> ManifestUpload()
    {
        var manifest = Data.Manifests[1];
        yield return new(nameof(PushTests.Push_Manifest_GetNonexistent_Returns404), "GET nonexistent manifest should return 404", async () =>
        {
            var response = await Client.Request(HttpMethod.Get, "/v2/<name>/manifests/<reference>")
                .WithReference(ConformanceData.NonexistentManifest).SendAsync();
            Expect.Status(response, 404);
        });
        yield return new(nameof(PushTests.Push_Manifest_PutFourTags_Returns201), "PUT should accept a manifest upload", async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                var response = await PutManifestAsync($"test{i}", manifest.Content);
                Expect.Location(response);
                Expect.Status(response, 201);
            }
        });
        yield return new(nameof(PushTests.Push_Manifest_PutWithNoLayers_Accepted), "Registry should accept a manifest upload with no layers", async () =>
        {
            var response = await PutManifestAsync(ConformanceData.EmptyLayerTestTag, Data.EmptyLayerManifest.Content);
            // Any other status only prints a warning in the Go suite: "image manifest with no layers is not supported".
            if (response.Status == 201)
            {
                _emptyLayerManifestLocation = response.Header("Location");
                Expect.Location(response);
            }
        });
        yield return new(nameof(PushTests.Push_Manifest_GetByDigest_Returns200), "GET request to manifest URL (digest) should yield 200 response", async () =>
        {
            var response = await Client.Request(HttpMethod.Get, "/v2/<name>/manifests/<digest>").WithDigest(manifest.Digest)
                .Header("Accept", ConformanceData.ImageManifest).SendAsync();
            Expect.Status(response, 200);
        });
    }

    private Spec TeardownManifests() => new(nameof(PushTests.Push_Teardown_DeleteManifests), "Delete manifest created in tests", async () =>
    {
        Expect.SuccessOr(await DeleteManifestAsync(Data.Manifests[1].Digest), 405);
        if (_emptyLayerManifestLocation.Length > 0)
        {
            Expect.SuccessOr(await DeleteManifestAsync(Data.EmptyLayerManifest.Digest), 405);
        }
    });

    private IEnumerable<Spec> TeardownBlobs()
    {
        yield return new(nameof(PushTests.Push_Teardown_DeleteConfig), "Delete config blob created in tests",
            async () => Expect.SuccessOr(await DeleteBlobAsync(Data.Configs[1].Digest), 404, 405));
        yield return new(nameof(PushTests.Push_Teardown_DeleteLayer), "Delete layer blob created in setup",
            async () => Expect.SuccessOr(await DeleteBlobAsync(Data.Layer.Digest), 404, 405));
    }
}
