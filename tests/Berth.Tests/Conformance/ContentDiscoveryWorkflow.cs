using System.Text.Json;
using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>The Content Discovery specs in Ginkgo order.</summary>
internal sealed class ContentDiscoveryWorkflow(OciClient client, ConformanceData data, SuiteOptions options) : Workflow(client, data, options)
{
    private int _numTags = 4;
    private IReadOnlyList<string> _tagList = [];

    public override IEnumerable<Spec> Specs()
    {
        yield return new(nameof(ContentDiscoveryTests.Discovery_Setup_PushConfig2), "Populate registry with test blob",
            async () => Expect.Success(await PushBlobAsync(Data.Configs[2])));
        yield return new(nameof(ContentDiscoveryTests.Discovery_Setup_PushLayer), "Populate registry with test layer",
            async () => Expect.Success(await PushBlobAsync(Data.Layer)));
        yield return new(nameof(ContentDiscoveryTests.Discovery_Setup_PutFourTags), "Populate registry with test tags", async () =>
        {
            for (var i = 0; i < _numTags; i++)
            {
                Expect.Success(await PutManifestAsync($"test{i}", Data.Manifests[2].Content));
            }

            _tagList = TagList.ParseOrEmpty((await GetTagListAsync()).Body);
        });
        // Only runs when OCI_TAG_LIST names existing tags instead of pushing them.
        yield return new(nameof(ContentDiscoveryTests.Discovery_Setup_TagsFromEnvironment_Skipped), "Populate registry with test tags (no push)", () =>
        {
            Run.OnlyIfNot(true);
            return Task.CompletedTask;
        });
        yield return new(nameof(ContentDiscoveryTests.Discovery_Setup_PushReferrersAndSubject_ReturnsOciSubject), "References setup", ReferencesSetupAsync);

        yield return new(nameof(ContentDiscoveryTests.Discovery_ListTags_Returns200), "GET request to list tags should yield 200 response", async () =>
        {
            var response = await GetTagListAsync();
            Expect.Status(response, 200);
            _tagList = TagList.ParseOrEmpty(response.Body);
            _numTags = _tagList.Count;
        });
        yield return new(nameof(ContentDiscoveryTests.Discovery_ListTags_LimitedByN), "GET number of tags should be limitable by `n` query parameter", async () =>
        {
            var results = _numTags / 2;
            var response = await TagPageAsync(results, last: null);
            Expect.Status(response, 200);
            _tagList = TagList.ParseOrEmpty(response.Body);
            Assert.Equal(results, _tagList.Count);
        });
        yield return new(nameof(ContentDiscoveryTests.Discovery_ListTags_StartSetByLast), "GET start of tag is set by `last` query parameter", async () =>
        {
            var results = _numTags / 2;
            _tagList = TagList.ParseOrEmpty((await TagPageAsync(results, last: null)).Body);
            var response = await TagPageAsync(results, _tagList[results - 1]);
            Expect.Status(response, 200);
            // As in the suite, the checks below look at the first page, not at the page that `last` returned.
            Assert.InRange(_tagList.Count, 0, results);
            Assert.Contains(_tagList[results - 1], _tagList);
        });

        yield return new(nameof(ContentDiscoveryTests.Discovery_Referrers_NonexistentDigest_ReturnsEmptyIndex),
            "GET request to nonexistent blob should result in empty 200 response",
            async () => Assert.Empty(await ReferrersAsync(ConformanceData.DummyDigest, artifactType: null)));
        yield return new(nameof(ContentDiscoveryTests.Discovery_Referrers_ExistingSubject_ReturnsFiveWithAnnotations),
            "GET request to existing blob should yield 200", async () =>
            {
                var referrers = await ReferrersAsync(Data.Manifests[4].Digest, artifactType: null);
                Assert.Equal(5, referrers.Count);
                Assert.NotEqual(referrers[0].Digest, referrers[1].Digest);
                AssertAnnotations(referrers);
            });
        yield return new(nameof(ContentDiscoveryTests.Discovery_Referrers_ArtifactTypeFilter_ReturnsTwoOrAll),
            "GET request to existing blob with filter should yield 200", ReferrersFilteredAsync);
        yield return new(nameof(ContentDiscoveryTests.Discovery_Referrers_MissingSubject_ReturnsDanglingReferrer),
            "GET request to missing manifest should yield 200", async () =>
            {
                var referrers = await ReferrersAsync(Data.Manifests[3].Digest, artifactType: null);
                Assert.Single(referrers);
                Assert.Equal(Data.RefsCLayer.Digest, referrers[0].Digest);
            });

        Spec[] teardown = Options.DeleteManifestBeforeBlobs
            ? [DeleteManifestsAndTags(), .. DeleteBlobs(), ReferencesTeardown()]
            : [.. DeleteBlobs(), DeleteManifestsAndTags(), ReferencesTeardown()];
        foreach (var spec in teardown)
        {
            yield return spec;
        }
    }

    // Artifacts of manifests[4] are pushed before and after their subject; every PUT names its subject in OCI-Subject.
    private async Task ReferencesSetupAsync()
    {
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", Data.EmptyJsonBlob.Digest);
        Expect.Success(await PushBlobAsync(Data.EmptyJsonBlob));
        Expect.Success(await PushBlobAsync(Data.RefBlobA));
        await PutReferrerAsync(Data.RefsAConfig, Data.Manifests[4]);
        await PutReferrerAsync(Data.RefsALayer, Data.Manifests[4]);
        await PutReferrerAsync(Data.RefsIndex, Data.Manifests[4], ConformanceData.ImageIndex);
        Expect.Success(await PushBlobAsync(Data.Configs[4]));
        Expect.Success(await PushBlobAsync(Data.Layer));
        Expect.Success(await PutManifestAsync(ConformanceData.TestTagName, Data.Manifests[4].Content));
        Expect.Success(await PushBlobAsync(Data.RefBlobB));
        await PutReferrerAsync(Data.RefsBConfig, Data.Manifests[4]);
        await PutReferrerAsync(Data.RefsBLayer, Data.Manifests[4]);
        await PutReferrerAsync(Data.RefsCLayer, Data.Manifests[3]);
    }

    private async Task PutReferrerAsync(TestBlob referrer, TestBlob subject, string contentType = ConformanceData.ImageManifest)
    {
        var response = await PutManifestAsync(referrer.Digest, referrer.Content, contentType);
        Expect.Success(response);
        Assert.Equal(subject.Digest, response.Header("OCI-Subject"));
    }

    private Task<OciResponse> TagPageAsync(int n, string? last)
    {
        var request = Client.Request(HttpMethod.Get, "/v2/<name>/tags/list").Query("n", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (last is null ? request : request.Query("last", last)).SendAsync();
    }

    private async Task ReferrersFilteredAsync()
    {
        var response = await GetReferrersAsync(Data.Manifests[4].Digest, ConformanceData.ArtifactTypeA);
        var referrers = ReadIndex(response);
        // A registry may ignore the filter, and then says nothing in OCI-Filters-Applied.
        if (response.Header("OCI-Filters-Applied").Length > 0)
        {
            Assert.Equal(2, referrers.Count);
            Assert.Equal("artifactType", response.Header("OCI-Filters-Applied"));
        }
        else
        {
            Assert.Equal(5, referrers.Count);
        }

        AssertAnnotations(referrers);
    }

    private async Task<IReadOnlyList<Referrer>> ReferrersAsync(string digest, string? artifactType) =>
        ReadIndex(await GetReferrersAsync(digest, artifactType));

    private Task<OciResponse> GetReferrersAsync(string digest, string? artifactType)
    {
        var request = Client.Request(HttpMethod.Get, "/v2/<name>/referrers/<digest>").WithDigest(digest);
        return (artifactType is null ? request : request.Query("artifactType", artifactType)).SendAsync();
    }

    // Every referrers answer: 200, exactly the index media type, and an index body.
    private static List<Referrer> ReadIndex(OciResponse response)
    {
        Expect.Status(response, 200);
        Assert.Equal(ConformanceData.ImageIndex, response.Header("Content-Type"));
        using var document = JsonDocument.Parse(response.Body);
        if (!document.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. manifests.EnumerateArray().Select(Referrer.Read)];
    }

    private void AssertAnnotations(IEnumerable<Referrer> referrers)
    {
        foreach (var referrer in referrers)
        {
            Assert.Single(referrer.Annotations);
            Assert.Equal(Data.AnnotationValues.GetValueOrDefault(referrer.Digest, ""),
                referrer.Annotations.GetValueOrDefault(ConformanceData.AnnotationKey, ""));
        }
    }

    private sealed record Referrer(string Digest, Dictionary<string, string> Annotations)
    {
        public static Referrer Read(JsonElement descriptor)
        {
            var digest = descriptor.TryGetProperty("digest", out var d) ? d.GetString() ?? "" : "";
            var annotations = new Dictionary<string, string>();
            if (descriptor.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in a.EnumerateObject())
                {
                    annotations[property.Name] = property.Value.GetString() ?? "";
                }
            }

            return new(digest, annotations);
        }
    }

    private Spec DeleteManifestsAndTags() => new(nameof(ContentDiscoveryTests.Discovery_Teardown_DeleteManifestsAndTags),
        "Delete created manifest & associated tags", async () =>
        {
            string[] references =
            [
                Data.RefsIndex.Digest, Data.Manifests[2].Digest, Data.Manifests[4].Digest, Data.RefsAConfig.Digest, Data.RefsALayer.Digest,
                ConformanceData.TestTagName, Data.RefsBConfig.Digest, Data.RefsBLayer.Digest, Data.RefsCLayer.Digest,
            ];
            foreach (var reference in references)
            {
                Expect.SuccessOr(await DeleteManifestAsync(reference), 405, 404);
            }
        });

    // Unlike the other workflows' teardowns, these two do not accept 404.
    private IEnumerable<Spec> DeleteBlobs()
    {
        yield return new(nameof(ContentDiscoveryTests.Discovery_Teardown_DeleteConfig), "Delete config blob created in tests",
            async () => Expect.SuccessOr(await DeleteBlobAsync(Data.Configs[2].Digest), 405));
        yield return new(nameof(ContentDiscoveryTests.Discovery_Teardown_DeleteLayer), "Delete layer blob created in setup",
            async () => Expect.SuccessOr(await DeleteBlobAsync(Data.Layer.Digest), 405));
    }

    private Spec ReferencesTeardown() => new(nameof(ContentDiscoveryTests.Discovery_Teardown_DeleteReferrersAndBlobs), "References teardown", async () =>
    {
        string[] manifests =
        [
            Data.RefsIndex.Digest, Data.RefsAConfig.Digest, Data.RefsALayer.Digest, Data.Manifests[4].Digest, Data.RefsBConfig.Digest,
            Data.RefsBLayer.Digest,
        ];
        string[] blobs = [Data.Configs[4].Digest, Data.RefBlobA.Digest, Data.RefBlobB.Digest, Data.EmptyJsonBlob.Digest];
        if (Options.DeleteManifestBeforeBlobs)
        {
            await DeleteAllAsync(manifests, DeleteManifestAsync);
        }

        await DeleteAllAsync(blobs, DeleteBlobAsync);
        if (!Options.DeleteManifestBeforeBlobs)
        {
            await DeleteAllAsync(manifests, DeleteManifestAsync);
        }
    });

    private static async Task DeleteAllAsync(IEnumerable<string> targets, Func<string, Task<OciResponse>> delete)
    {
        foreach (var target in targets)
        {
            Expect.SuccessOr(await delete(target), 405, 404);
        }
    }
}
