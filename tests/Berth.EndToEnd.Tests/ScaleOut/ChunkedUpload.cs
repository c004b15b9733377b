using System.Net;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ScaleOut;

/// <summary>The raw requests of a chunked upload, each sent to whichever node a test names.</summary>
internal static class ChunkedUpload
{
    /// <summary>POST on <paramref name="node"/>: the session's location (202 asserted).</summary>
    public static async Task<string> StartAsync(HttpClient http, BerthProcess node, string repository)
    {
        using var start = await http.PostAsync(Url(node, $"v2/{repository}/blobs/uploads/"), null, Token);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return start.Headers.Location!.OriginalString;
    }

    /// <summary>
    /// PATCH of <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="index"/>, declared with
    /// Content-Range at <paramref name="sessionOffset"/> in the session; the caller checks the answer.
    /// </summary>
    public static async Task<HttpResponseMessage> PatchAsync(HttpClient http, BerthProcess node, string location, byte[] buffer,
        int index, int count, long sessionOffset)
    {
        using var chunk = new ByteArrayContent(buffer, index, count);
        chunk.Headers.ContentType = new("application/octet-stream");
        // Added without validation: .NET's parser knows only the bytes-unit form, the registry API's is "start-end".
        chunk.Headers.TryAddWithoutValidation("Content-Range", $"{sessionOffset}-{sessionOffset + count - 1}");
        return await http.PatchAsync(Url(node, location), chunk, Token);
    }

    /// <summary>The PUT that completes the session at <paramref name="location"/> as <paramref name="digest"/>.</summary>
    public static Uri CompleteUrl(BerthProcess node, string location, string digest) =>
        Url(node, location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest));

    public static Uri Url(BerthProcess node, string pathAndQuery) => new(node.BaseUri, pathAndQuery);

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
