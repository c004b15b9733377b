using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>
/// The Pull workflow (01_pull_test.go): setup pushes configs[0], configs[1], the layer, manifests[0] as tag
/// tagtest0 and manifests[1] by digest; then blobs and manifests are read; teardown deletes what setup made.
/// Test names give the spec; the text is in <see cref="PullWorkflow"/>.
/// </summary>
[Collection(ConformanceGroup.Name)]
public sealed class PullTests(ConformanceRun run)
{
    [Fact] public void Pull_Setup_PushConfig0() => run.Check();
    [Fact] public void Pull_Setup_PushConfig1() => run.Check();
    [Fact] public void Pull_Setup_PushLayer() => run.Check();
    [Fact] public void Pull_Setup_PutManifest0ByTag() => run.Check();
    [Fact] public void Pull_Setup_PutManifest1ByDigest() => run.Check();
    [Fact] public void Pull_Setup_TagNameFromEnvironment_Skipped() => run.Check();
    [Fact] public void Pull_HeadNonexistentBlob_Returns404() => run.Check();
    [Fact] public void Pull_HeadExistingBlob_Returns200() => run.Check();
    [Fact] public void Pull_GetNonexistentBlob_Returns404() => run.Check();
    [Fact] public void Pull_GetExistingBlob_Returns200() => run.Check();
    [Fact] public void Pull_HeadNonexistentManifest_Returns404() => run.Check();
    [Fact] public void Pull_HeadManifest0ByDigest_Returns200() => run.Check();
    [Fact] public void Pull_HeadManifest1ByDigest_Returns200() => run.Check();
    [Fact] public void Pull_HeadManifestByTag_Returns200() => run.Check();
    [Fact] public void Pull_GetNonexistentManifest_Returns404() => run.Check();
    [Fact] public void Pull_GetManifest0ByDigest_Returns200() => run.Check();
    [Fact] public void Pull_GetManifest1ByDigest_Returns200() => run.Check();
    [Fact] public void Pull_GetManifestByTag_Returns200() => run.Check();
    [Fact] public void Pull_ErrorCodes_400BodyIsOciErrorJson() => run.Check();
    [Fact] public void Pull_Teardown_DeleteManifest0() => run.Check();
    [Fact] public void Pull_Teardown_DeleteManifest1() => run.Check();
    [Fact] public void Pull_Teardown_DeleteConfig0() => run.Check();
    [Fact] public void Pull_Teardown_DeleteConfig1() => run.Check();
    [Fact] public void Pull_Teardown_DeleteLayer() => run.Check();
}

internal sealed class PullWorkflow(OciClient client, ConformanceData data, SuiteOptions options) : Workflow(client, data, options)
{
    private string _tag = "";

    public override IEnumerable<Spec> Specs()
    {
        yield return new(nameof(PullTests.Pull_Setup_PushConfig0), "Populate registry with test blob", () => PushSetupBlobAsync(Data.Configs[0]));
        yield return new(nameof(PullTests.Pull_Setup_PushConfig1), "Populate registry with test blob", () => PushSetupBlobAsync(Data.Configs[1]));
        yield return new(nameof(PullTests.Pull_Setup_PushLayer), "Populate registry with test layer", () => PushSetupBlobAsync(Data.Layer));
        yield return new(nameof(PullTests.Pull_Setup_PutManifest0ByTag), "Populate registry with test manifest", async () =>
        {
            _tag = ConformanceData.TestTagName;
            Expect.Success(await PutManifestAsync(_tag, Data.Manifests[0].Content));
        });
        yield return new(nameof(PullTests.Pull_Setup_PutManifest1ByDigest), "Populate registry with test manifest",
            async () => Expect.Success(await PutManifestAsync(Data.Manifests[1].Digest, Data.Manifests[1].Content)));
        // Only runs when OCI_TAG_NAME, OCI_MANIFEST_DIGEST and OCI_BLOB_DIGEST point at existing content instead.
        yield return new(nameof(PullTests.Pull_Setup_TagNameFromEnvironment_Skipped), "Get tag name from environment", () =>
        {
            Run.OnlyIfNot(true);
            return Task.CompletedTask;
        });

        yield return new(nameof(PullTests.Pull_HeadNonexistentBlob_Returns404), "HEAD request to nonexistent blob should result in 404 response",
            async () => Expect.Status(await HeadAsync("/v2/<name>/blobs/<digest>", ConformanceData.DummyDigest), 404));
        yield return new(nameof(PullTests.Pull_HeadExistingBlob_Returns200), "HEAD request to existing blob should yield 200", async () =>
        {
            var response = await HeadAsync("/v2/<name>/blobs/<digest>", Data.Configs[0].Digest);
            Expect.Status(response, 200);
            Expect.DigestHeaderIfPresent(response, Data.Configs[0].Digest);
        });
        yield return new(nameof(PullTests.Pull_GetNonexistentBlob_Returns404), "GET nonexistent blob should result in 404 response",
            async () => Expect.Status(await GetAsync("/v2/<name>/blobs/<digest>", ConformanceData.DummyDigest), 404));
        yield return new(nameof(PullTests.Pull_GetExistingBlob_Returns200), "GET request to existing blob URL should yield 200",
            async () => Expect.Status(await GetAsync("/v2/<name>/blobs/<digest>", Data.Configs[0].Digest), 200));

        yield return new(nameof(PullTests.Pull_HeadNonexistentManifest_Returns404), "HEAD request to nonexistent manifest should return 404",
            async () => Expect.Status(await ManifestAsync(HttpMethod.Head, ConformanceData.NonexistentManifest, accept: false), 404));
        yield return new(nameof(PullTests.Pull_HeadManifest0ByDigest_Returns200), "HEAD request to manifest[0] path (digest) should yield 200 response",
            () => HeadManifestAsync(Data.Manifests[0].Digest, Data.Manifests[0].Digest));
        yield return new(nameof(PullTests.Pull_HeadManifest1ByDigest_Returns200), "HEAD request to manifest[1] path (digest) should yield 200 response",
            () => HeadManifestAsync(Data.Manifests[1].Digest, Data.Manifests[1].Digest));
        yield return new(nameof(PullTests.Pull_HeadManifestByTag_Returns200), "HEAD request to manifest path (tag) should yield 200 response", () =>
        {
            Assert.NotEmpty(_tag);
            return HeadManifestAsync(_tag, Data.Manifests[0].Digest);
        });
        yield return new(nameof(PullTests.Pull_GetNonexistentManifest_Returns404), "GET nonexistent manifest should return 404",
            async () => Expect.Status(await ManifestAsync(HttpMethod.Get, ConformanceData.NonexistentManifest, accept: false), 404));
        yield return new(nameof(PullTests.Pull_GetManifest0ByDigest_Returns200), "GET request to manifest[0] path (digest) should yield 200 response",
            async () => Expect.Status(await ManifestAsync(HttpMethod.Get, Data.Manifests[0].Digest), 200));
        yield return new(nameof(PullTests.Pull_GetManifest1ByDigest_Returns200), "GET request to manifest[1] path (digest) should yield 200 response",
            async () => Expect.Status(await ManifestAsync(HttpMethod.Get, Data.Manifests[1].Digest), 200));
        yield return new(nameof(PullTests.Pull_GetManifestByTag_Returns200), "GET request to manifest path (tag) should yield 200 response", async () =>
        {
            Assert.NotEmpty(_tag);
            Expect.Status(await ManifestAsync(HttpMethod.Get, _tag), 200);
        });

        yield return new(nameof(PullTests.Pull_ErrorCodes_400BodyIsOciErrorJson), "400 response body should contain OCI-conforming JSON message",
            ErrorBodyAsync);

        var teardown = Options.DeleteManifestBeforeBlobs ? DeleteManifests().Concat(DeleteBlobs()) : DeleteBlobs().Concat(DeleteManifests());
        foreach (var spec in teardown)
        {
            yield return spec;
        }
    }

    private async Task PushSetupBlobAsync(TestBlob blob) => Expect.Success(await PushBlobAsync(blob));

    private Task<OciResponse> HeadAsync(string pathTemplate, string digest) =>
        Client.Request(HttpMethod.Head, pathTemplate).WithDigest(digest).SendAsync();

    private Task<OciResponse> ManifestAsync(HttpMethod method, string reference, bool accept = true)
    {
        var request = Client.Request(method, "/v2/<name>/manifests/<reference>").WithReference(reference);
        return (accept ? request.Header("Accept", ConformanceData.ImageManifest) : request).SendAsync();
    }

    private async Task HeadManifestAsync(string reference, string expectedDigest)
    {
        var response = await ManifestAsync(HttpMethod.Head, reference);
        Expect.Status(response, 200);
        Expect.DigestHeaderIfPresent(response, expectedDigest);
    }

    // A malformed digest as reference, sent (oddly) with a body: 400 with a known error code, or 404.
    private async Task ErrorBodyAsync()
    {
        var response = await Client.Request(HttpMethod.Get, "/v2/<name>/manifests/<reference>")
            .WithReference("sha256:totallywrong")
            .Header("Content-Type", ConformanceData.ImageManifest)
            .WithBody(ConformanceData.InvalidManifestContent)
            .SendAsync();
        Expect.Status(response, 400, 404);
        if (response.Status == 400)
        {
            var errors = ErrorBody.Codes(response);
            Assert.NotEmpty(errors);
            Assert.Contains(errors[0], ErrorBody.KnownCodes);
        }
    }

    private IEnumerable<Spec> DeleteManifests()
    {
        yield return new(nameof(PullTests.Pull_Teardown_DeleteManifest0), "Delete manifest[0] created in setup",
            async () => Expect.SuccessOr(await DeleteManifestAsync(Data.Manifests[0].Digest), 405));
        yield return new(nameof(PullTests.Pull_Teardown_DeleteManifest1), "Delete manifest[1] created in setup",
            async () => Expect.SuccessOr(await DeleteManifestAsync(Data.Manifests[1].Digest), 405));
    }

    private IEnumerable<Spec> DeleteBlobs()
    {
        yield return new(nameof(PullTests.Pull_Teardown_DeleteConfig0), "Delete config[0] blob created in setup",
            async () => Expect.SuccessOr(await DeleteBlobAsync(Data.Configs[0].Digest), 404, 405));
        yield return new(nameof(PullTests.Pull_Teardown_DeleteConfig1), "Delete config[1] blob created in setup",
            async () => Expect.SuccessOr(await DeleteBlobAsync(Data.Configs[1].Digest), 404, 405));
        yield return new(nameof(PullTests.Pull_Teardown_DeleteLayer), "Delete layer blob created in setup",
            async () => Expect.SuccessOr(await DeleteBlobAsync(Data.Layer.Digest), 404, 405));
    }
}
