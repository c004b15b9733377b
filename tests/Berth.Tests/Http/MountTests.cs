using System.Net;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>Cross-repository mount: 201 when the source has the blob, else an ordinary upload session (202).</summary>
public sealed class MountTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_MountFromRepositoryWithBlob_CreatedAndServedFromTarget()
    {
        var source = Digests.NewRepository("mount");
        var target = Digests.NewRepository("mount");
        var blob = await fixture.Registry.PushBlobAsync(source, Digests.RandomBytes());

        using var response = await fixture.Http.PostAsync($"v2/{target}/blobs/uploads/?mount={blob.Digest}&from={source}", null, Ct);

        await ResponseAssert.BlobCreatedAsync(fixture.Http, response, target, blob);
    }

    [Theory]
    [InlineData("absent")] // the source does not have the blob
    [InlineData("INVALID..name")]
    [InlineData("")]
    [InlineData("../../etc")]
    public async Task Post_MountThatCannotBeDone_FallsBackToUploadSession(string from)
    {
        var source = Digests.NewRepository("mount");
        var target = Digests.NewRepository("mount");
        var digest = Digests.Absent();
        await fixture.Registry.PushBlobAsync(source, Digests.RandomBytes());
        var fromValue = from == "absent" ? source : from;

        using var response = await fixture.Http.PostAsync($"v2/{target}/blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromValue)}",
            null, Ct);
        using var blob = await fixture.Http.GetAsync($"v2/{target}/blobs/{digest}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains($"/v2/{target}/blobs/uploads/", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal("0-0", ResponseAssert.Header(response, "Range"));
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
    }

    [Fact]
    public async Task Post_MountWithInvalidDigest_FallsBackToUploadSession()
    {
        var target = Digests.NewRepository("mount");

        using var response = await fixture.Http.PostAsync($"v2/{target}/blobs/uploads/?mount=sha256:nothex&from=library/x", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(ResponseAssert.Header(response, "Docker-Upload-UUID"));
    }

    [Fact]
    public async Task Post_MountOfBlobOnlyInOtherRepository_NotMountedFromWrongSource()
    {
        // The blob's content exists (in 'owner') but 'from' names a repository that never linked it.
        var owner = Digests.NewRepository("mount");
        var bystander = Digests.NewRepository("mount");
        var target = Digests.NewRepository("mount");
        var blob = await fixture.Registry.PushBlobAsync(owner, Digests.RandomBytes());
        await fixture.Registry.PushBlobAsync(bystander, Digests.RandomBytes());

        using var response = await fixture.Http.PostAsync($"v2/{target}/blobs/uploads/?mount={blob.Digest}&from={bystander}", null, Ct);
        using var get = await fixture.Http.GetAsync($"v2/{target}/blobs/{blob.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }
}
