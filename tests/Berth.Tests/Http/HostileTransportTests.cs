using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// Hostile requests at the transport level: bodies cut short and absurd header sizes. Kestrel answers the
/// latter itself (431/414, before the registry sees them), so only the status is asserted there.
/// </summary>
public sealed class HostileTransportTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private const string Repo = HostileFixture.Repository;

    /// <summary>
    /// Sends <paramref name="method"/> <paramref name="target"/> declaring 1000 bytes but sending 10, then closing.
    /// Kestrel may answer 400 or just drop the request; either way the test waits until berth's access log shows
    /// the request finished, so the storage check cannot run before the server has cleaned up.
    /// </summary>
    private async Task SendCutShortAsync(string method, string target, byte[] start, List<KeyValuePair<string, string>> headers)
    {
        var logged = $"{method} {target.Split('?')[0]} ";
        var before = CountOccurrences(fixture.Berth.Output, logged);

        var response = await RawHttp.TrySendAsync(fixture.Berth.Port, method, target, start, headers, declaredLength: start.Length + 1000);

        if (response is not null)
        {
            Assert.InRange(response.Status, 400, 499);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (CountOccurrences(fixture.Berth.Output, logged) == before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"berth never logged the end of {logged}:\n{fixture.Berth.Output}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("5-1004")]
    public async Task Patch_BodyCutShort_ClientErrorAndUploadSizeUnchanged(string? contentRange)
    {
        var before = fixture.Snapshot();
        var headers = contentRange is null ? [] : new List<KeyValuePair<string, string>> { new("Content-Range", contentRange) };

        await SendCutShortAsync("PATCH", $"/v2/{Repo}/blobs/uploads/{fixture.UploadId}", new byte[10], headers);
        using var status = await fixture.Http.GetAsync($"v2/{Repo}/blobs/uploads/{fixture.UploadId}", TestContext.Current.CancellationToken);

        Assert.Equal($"0-{HostileFixture.UploadSize - 1}", ResponseAssert.Header(status, "Range"));
        fixture.AssertNothingWritten(before);
    }

    [Fact]
    public async Task Post_MonolithicBodyCutShort_ClientErrorAndNoSessionLeft()
    {
        var before = fixture.Snapshot();

        await SendCutShortAsync("POST", $"/v2/{Repo}/blobs/uploads/?digest={Digests.Absent()}", new byte[10], []);

        fixture.AssertNothingWritten(before);
    }

    [Fact]
    public async Task PutManifest_BodyCutShort_ClientErrorAndNothingStored()
    {
        var before = fixture.Snapshot();
        var manifest = TestManifests.Index([]);

        await SendCutShortAsync("PUT", $"/v2/{Repo}/manifests/cut", manifest.Bytes, [new("Content-Type", TestManifests.OciIndex)]);

        fixture.AssertNothingWritten(before);
    }

    [Theory]
    [InlineData(1, 64 * 1024, 431)] // one header larger than Kestrel's 32 KiB total
    [InlineData(200, 10, 431)] // more headers than Kestrel's 100
    public async Task Get_AbsurdHeaders_RequestHeaderFieldsTooLarge(int count, int size, int expected)
    {
        var before = fixture.Snapshot();
        var headers = Enumerable.Range(0, count).Select(i => new KeyValuePair<string, string>($"X-Junk-{i}", new string('x', size)));

        var response = await RawHttp.SendAsync(fixture.Berth.Port, "PUT", $"/v2/{Repo}/manifests/junk", TestManifests.Index([]).Bytes,
            [new("Content-Type", TestManifests.OciIndex), .. headers]);

        Assert.Equal(expected, response.Status);
        fixture.AssertNothingWritten(before);
    }

    [Fact]
    public async Task Get_AbsurdlyLongTarget_UriTooLong()
    {
        var before = fixture.Snapshot();

        var response = await RawHttp.SendAsync(fixture.Berth.Port, "PUT", $"/v2/{new string('a', 20_000)}/manifests/x", TestManifests.Index([]).Bytes,
            [new("Content-Type", TestManifests.OciIndex)]);

        Assert.Equal(414, response.Status);
        fixture.AssertNothingWritten(before);
    }
}
