using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>
/// The Content Management workflow (04_management_test.go): manifests[3] tagged tagtest0, the tag deleted, the
/// manifest deleted by digest, the tag list shrinking, then the config and layer blobs deleted. Test names give
/// the spec; the original text is in <see cref="ContentManagementWorkflow"/>.
/// </summary>
[Collection(ConformanceGroup.Name)]
public sealed class ContentManagementTests(ConformanceRun run)
{
    [Fact] public void Management_Setup_PushConfig3() => run.Check();
    [Fact] public void Management_Setup_PushLayer() => run.Check();
    [Fact] public void Management_Setup_PutTag() => run.Check();
    [Fact] public void Management_Setup_CountTags() => run.Check();
    [Fact] public void Management_DeleteTag_Returns202Or400Or405() => run.Check();
    [Fact] public void Management_DeleteManifestByDigest_Returns202Or404() => run.Check();
    [Fact] public void Management_GetDeletedManifest_Returns404Or200() => run.Check();
    [Fact] public void Management_ListTags_ReflectsDeletion() => run.Check();
    [Fact] public void Management_DeleteBlobs_Returns202Or404Or405() => run.Check();
    [Fact] public void Management_GetDeletedBlob_Returns404() => run.Check();
}

internal sealed class ContentManagementWorkflow(OciClient client, ConformanceData data, SuiteOptions options) : Workflow(client, data, options)
{
    private string _tagToDelete = "";
    private int _numTags;
    private bool _blobDeleteAllowed = true;

    public override IEnumerable<Spec> Specs()
    {
        yield return new(nameof(ContentManagementTests.Management_Setup_PushConfig3), "Populate registry with test config blob",
            async () => Expect.Success(await PushBlobAsync(Data.Configs[3])));
        yield return new(nameof(ContentManagementTests.Management_Setup_PushLayer), "Populate registry with test layer",
            async () => Expect.Success(await PushBlobAsync(Data.Layer)));
        yield return new(nameof(ContentManagementTests.Management_Setup_PutTag), "Populate registry with test tag", async () =>
        {
            _tagToDelete = ConformanceData.TestTagName;
            Expect.Success(await PutManifestAsync(_tagToDelete, Data.Manifests[3].Content));
        });
        yield return new(nameof(ContentManagementTests.Management_Setup_CountTags), "Check how many tags there are before anything gets deleted", async () =>
        {
            var response = await GetTagListAsync();
            Expect.Status(response, 200);
            _numTags = TagList.Parse(response.Body).Count;
        });

        yield return new(nameof(ContentManagementTests.Management_DeleteTag_Returns202Or400Or405),
            "DELETE request to manifest tag should return 202, unless tag deletion is disallowed (400/405)", async () =>
            {
                var response = await Client.Request(HttpMethod.Delete, "/v2/<name>/manifests/<reference>").WithReference(_tagToDelete).SendAsync();
                Expect.Status(response, 400, 202, 405);
                if (response.Status == 400)
                {
                    var codes = ErrorBody.Codes(response);
                    Assert.NotEmpty(codes);
                    Assert.Equal("UNSUPPORTED", codes[0]);
                }
            });
        yield return new(nameof(ContentManagementTests.Management_DeleteManifestByDigest_Returns202Or404),
            "DELETE request to manifest (digest) should yield 202 response unless already deleted",
            async () => Expect.Status(await DeleteManifestAsync(Data.Manifests[3].Digest), 202, 404));
        yield return new(nameof(ContentManagementTests.Management_GetDeletedManifest_Returns404Or200),
            "GET request to deleted manifest URL should yield 404 response, unless delete is disallowed",
            async () => Expect.Status(await GetAsync("/v2/<name>/manifests/<digest>", Data.Manifests[3].Digest), 404, 200));
        yield return new(nameof(ContentManagementTests.Management_ListTags_ReflectsDeletion), "GET request to tags list should reflect manifest deletion", async () =>
        {
            var response = await GetTagListAsync();
            Expect.Status(response, 200);
            Assert.True(TagList.Parse(response.Body).Count < _numTags, $"expected fewer than {_numTags} tags: {response.Text}");
        });

        yield return new(nameof(ContentManagementTests.Management_DeleteBlobs_Returns202Or404Or405), "DELETE request to blob URL should yield 202 response", async () =>
        {
            Expect.Status(await DeleteBlobAsync(Data.Configs[3].Digest), 202, 404, 405);
            var layer = await DeleteBlobAsync(Data.Layer.Digest);
            Expect.Status(layer, 202, 404, 405);
            _blobDeleteAllowed = layer.Status != 405;
        });
        yield return new(nameof(ContentManagementTests.Management_GetDeletedBlob_Returns404), "GET request to deleted blob URL should yield 404 response", async () =>
        {
            Run.OnlyIf(_blobDeleteAllowed);
            Expect.Status(await GetAsync("/v2/<name>/blobs/<digest>", Data.Configs[3].Digest), 404);
        });
    }
}
