using System.Globalization;
using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>The Push specs in Ginkgo order; <c>_last</c> and <c>_previous</c> carry state between specs as the suite does.</summary>
internal sealed partial class PushWorkflow(OciClient client, ConformanceData data, SuiteOptions options) : Workflow(client, data, options)
{
    private const string Uploads = "/v2/<name>/blobs/uploads/";
    private OciResponse? _last;
    private OciResponse? _previous;
    private string _emptyLayerManifestLocation = "";

    public override IEnumerable<Spec> Specs()
    {
        Spec[] teardown = Options.DeleteManifestBeforeBlobs
            ? [TeardownManifests(), .. TeardownBlobs()]
            : [.. TeardownBlobs(), TeardownManifests()];
        return [.. Streamed(), .. Monolithic(), .. Chunked(), .. CrossMount(), .. ManifestUpload(), .. teardown];
    }

    private static string Length(byte[] content) => content.Length.ToString(CultureInfo.InvariantCulture);

    private Task<OciResponse> PostAsync(string? name = null)
    {
        var request = Client.Request(HttpMethod.Post, Uploads);
        return (name is null ? request : request.WithName(name)).SendAsync();
    }

    private IEnumerable<Spec> Streamed()
    {
        yield return new(nameof(PushTests.Push_Streamed_PatchWithBlobBody_Returns202), "PATCH request with blob in body should yield 202 response", async () =>
        {
            var session = await PostAsync();
            Expect.Location(session);
            var response = await Client.Request(HttpMethod.Patch, session.RelativeLocation)
                .Header("Content-Type", "application/octet-stream").WithBody(Data.BlobA.Content).SendAsync();
            Expect.Status(response, 202);
            _last = response;
        });
        yield return new(nameof(PushTests.Push_Streamed_PutSessionWithDigest_Returns201), "PUT request to session URL with digest should yield 201 response", async () =>
        {
            Assert.NotNull(_last);
            var response = await Client.Request(HttpMethod.Put, _last.RelativeLocation)
                .Query("digest", Data.BlobA.Digest)
                .Header("Content-Type", "application/octet-stream")
                .Header("Content-Length", Length(Data.BlobA.Content))
                .SendAsync();
            Expect.Status(response, 201);
            Expect.Location(response);
        });
    }

    private IEnumerable<Spec> Monolithic()
    {
        var config = Data.Configs[1];
        yield return new(nameof(PushTests.Push_Monolithic_GetNonexistentBlob_Returns404), "GET nonexistent blob should result in 404 response",
            async () => Expect.Status(await GetAsync("/v2/<name>/blobs/<digest>", ConformanceData.DummyDigest), 404));
        yield return new(nameof(PushTests.Push_Monolithic_PostWithDigestAndBlob_Returns201Or202), "POST request with digest and blob should yield a 201 or 202", async () =>
        {
            var response = await SendBlobAsync(HttpMethod.Post, Uploads, config);
            Expect.Location(response);
            Expect.Status(response, 201, 202);
            _last = response;
        });
        yield return new(nameof(PushTests.Push_Monolithic_GetBlobFromPriorPost_Returns200Or404),
            "GET request to blob URL from prior request should yield 200 or 404 based on response code", async () =>
            {
                Assert.NotNull(_last);
                var response = await GetAsync("/v2/<name>/blobs/<digest>", config.Digest);
                Expect.Status(response, _last.Status == 202 ? 404 : 200);
            });
        yield return new(nameof(PushTests.Push_Monolithic_Post_ReturnsSession), "POST request should yield a session ID", async () =>
        {
            var response = await PostAsync();
            Expect.Status(response, 202);
            _last = response;
        });
        yield return new(nameof(PushTests.Push_Monolithic_PostThenPut_Returns201), "PUT upload of a blob should yield a 201 Response", async () =>
        {
            var response = await SendBlobAsync(HttpMethod.Put, _last!.RelativeLocation, config);
            Expect.Location(response);
            Expect.Status(response, 201);
        });
        yield return new(nameof(PushTests.Push_Monolithic_GetExistingBlob_Returns200), "GET request to existing blob should yield 200 response",
            async () => Expect.Status(await GetAsync("/v2/<name>/blobs/<digest>", config.Digest), 200));
        yield return new(nameof(PushTests.Push_Monolithic_PutLayerBlob_Returns201), "PUT upload of a layer blob should yield a 201 Response", async () =>
        {
            var response = await PushBlobAsync(Data.Layer);
            Expect.Location(response);
            Expect.Status(response, 201);
        });
        yield return new(nameof(PushTests.Push_Monolithic_GetExistingLayer_Returns200), "GET request to existing layer should yield 200 response",
            async () => Expect.Status(await GetAsync("/v2/<name>/blobs/<digest>", Data.Layer.Digest), 200));
    }

    private IEnumerable<Spec> Chunked()
    {
        yield return new(nameof(PushTests.Push_Chunked_OutOfOrderChunk_Returns416), "Out-of-order blob upload should return 416", async () =>
        {
            var session = await Client.Request(HttpMethod.Post, Uploads).Header("Content-Length", "0").SendAsync();
            Expect.Location(session);
            // A registry that announces a minimum chunk size gets a blob big enough for two such chunks.
            var minimum = session.Header("OCI-Chunk-Min-Length");
            if (minimum.Length > 0)
            {
                var size = int.Parse(minimum, CultureInfo.InvariantCulture);
                if (size > Data.BlobBChunk1.Length)
                {
                    Data.SetupChunkedBlob(size * 2 - 2);
                }
            }

            Expect.Status(await PatchChunkAsync(session, Data.BlobBChunk2, Data.BlobBChunk2Range), 416);
        });
        yield return new(nameof(PushTests.Push_Chunked_PatchFirstChunk_Returns202WithRange), "PATCH request with first chunk should return 202", async () =>
        {
            var session = await Client.Request(HttpMethod.Post, Uploads).Header("Content-Length", "0").SendAsync();
            Expect.Location(session);
            _previous = session;
            var response = await PatchChunkAsync(session, Data.BlobBChunk1, Data.BlobBChunk1Range);
            Expect.Status(response, 202);
            Assert.Equal(Data.BlobBChunk1Range, response.Header("Range"));
            _last = response;
        });
        yield return new(nameof(PushTests.Push_Chunked_RetryPreviousChunk_Returns416), "Retry previous blob chunk should return 416",
            async () => Expect.Status(await PatchChunkAsync(_previous!, Data.BlobBChunk1, Data.BlobBChunk1Range), 416));
        yield return new(nameof(PushTests.Push_Chunked_GetStaleUpload_Returns204WithRangeAndLocation),
            "Get on stale blob upload should return 204 with a range and location", async () =>
            {
                var response = await Client.Request(HttpMethod.Get, _previous!.RelativeLocation).SendAsync();
                Expect.Status(response, 204);
                Expect.Location(response);
                Assert.Equal(Data.BlobBChunk1Range, response.Header("Range"));
                _last = response;
            });
        yield return new(nameof(PushTests.Push_Chunked_PatchSecondChunk_Returns202), "PATCH request with second chunk should return 202", async () =>
        {
            var response = await PatchChunkAsync(_last!, Data.BlobBChunk2, Data.BlobBChunk2Range);
            Expect.Status(response, 202);
            Expect.Location(response);
            _last = response;
        });
        yield return new(nameof(PushTests.Push_Chunked_PutWithDigest_Returns201), "PUT request with digest should return 201", async () =>
        {
            var response = await Client.Request(HttpMethod.Put, _last!.RelativeLocation)
                .Header("Content-Length", "0")
                .Header("Content-Type", "application/octet-stream")
                .Query("digest", Data.BlobB.Digest)
                .SendAsync();
            Expect.Status(response, 201);
            Expect.Location(response);
        });
    }

    private Task<OciResponse> PatchChunkAsync(OciResponse session, byte[] chunk, string range) =>
        Client.Request(HttpMethod.Patch, session.RelativeLocation)
            .Header("Content-Type", "application/octet-stream")
            .Header("Content-Length", Length(chunk))
            .Header("Content-Range", range)
            .WithBody(chunk)
            .SendAsync();
}
