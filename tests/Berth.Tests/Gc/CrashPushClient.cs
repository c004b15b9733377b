using System.Net;
using System.Net.Http.Headers;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// One client of the crash test, with a repository of its own and three tags. It pushes as docker does (HEAD each
/// blob, upload what is missing, whole or in a PATCH, PUT the manifest, again on MANIFEST_BLOB_UNKNOWN) until the
/// server dies under it, and remembers what was acknowledged: every manifest PUT answered 201, and for each tag what it
/// may now name, which is the last acknowledged manifest or one whose PUT was cut by the kill (it may have landed).
/// </summary>
internal sealed class CrashPushClient(string repository, Content[] bases, Random random)
{
    private static readonly string[] TagNames = ["t0", "t1", "t2"];
    private readonly Dictionary<string, (Content Manifest, Content[] Blobs)> _acknowledged = [];
    private readonly Dictionary<string, List<string>> _tagMayName = [];
    private readonly Dictionary<string, (Content Manifest, Content[] Blobs)> _attempted = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public int Acknowledged { get; private set; }

    public int Cut { get; private set; }

    /// <summary>Pushes until <paramref name="stop"/> fires or the server stops answering (it was killed).</summary>
    public async Task RunAsync(HttpClient http, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var tag = TagNames[random.Next(TagNames.Length)];
                var config = TestManifests.Config();
                Content[] layers = [bases[random.Next(bases.Length)], TestManifests.Layer()];
                await PushAsync(http, tag, TestManifests.Image(config, layers), [config, .. layers]);
            }
        }
        catch (HttpRequestException)
        {
            // The server was killed under a request: what it did with that request is unknown.
            Cut++;
        }
    }

    /// <summary>
    /// Every acknowledged manifest pulls whole by digest; every tag names what it may, and that pulls whole too.
    /// Returns the images checked.
    /// </summary>
    public async Task<int> VerifyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        foreach (var (manifest, blobs) in _acknowledged.Values)
        {
            await WholeImage.AssertPullsAsync(http, repository, manifest.Digest, manifest, blobs, cancellationToken);
        }

        foreach (var (tag, mayName) in _tagMayName)
        {
            var named = await PullTagDigestAsync(http, tag, cancellationToken);
            var acknowledgedBefore = mayName.Any(_acknowledged.ContainsKey);
            Assert.True(named is null ? !acknowledgedBefore : mayName.Contains(named),
                $"{repository}:{tag} names {named ?? "nothing"}, expected one of {string.Join(", ", mayName)}");
            if (named is not null && !_acknowledged.ContainsKey(named))
            {
                // A PUT cut by the kill that landed: it was validated, so it must be whole as well.
                var (manifest, blobs) = _attempted[named];
                await WholeImage.AssertPullsAsync(http, repository, named, manifest, blobs, cancellationToken);
            }
        }

        return _acknowledged.Count;
    }

    private async Task PushAsync(HttpClient http, string tag, Content manifest, Content[] blobs)
    {
        for (var attempt = 1; ; attempt++)
        {
            foreach (var blob in blobs)
            {
                using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{blob.Digest}"), Ct);
                if (head.StatusCode != HttpStatusCode.OK)
                {
                    await UploadAsync(http, blob);
                }
            }

            // From here the tag may name this manifest, whether or not the answer arrives.
            _attempted[manifest.Digest] = (manifest, blobs);
            MayName(tag).Add(manifest.Digest);
            using var put = await http.PutAsync($"v2/{repository}/manifests/{tag}", RegistryClient.ManifestBody(manifest), Ct);
            if (put.StatusCode == HttpStatusCode.Created)
            {
                _acknowledged[manifest.Digest] = (manifest, blobs);
                _tagMayName[tag] = [manifest.Digest];
                Acknowledged++;
                return;
            }

            var body = await put.Content.ReadAsStringAsync(Ct);
            Assert.True(put.StatusCode == HttpStatusCode.BadRequest && body.Contains("MANIFEST_BLOB_UNKNOWN", StringComparison.Ordinal) && attempt < 10,
                $"{repository}:{tag} attempt {attempt}: {(int)put.StatusCode} {body}");
        }
    }

    /// <summary>Half the blobs in one request, half as a session with a PATCH: a kill may cut either, leaving an upload behind.</summary>
    private async Task UploadAsync(HttpClient http, Content blob)
    {
        if (random.Next(2) == 0)
        {
            using var whole = await http.PostAsync($"v2/{repository}/blobs/uploads/?digest={blob.Digest}", new ByteArrayContent(blob.Bytes), Ct);
            Assert.Equal(HttpStatusCode.Created, whole.StatusCode);
            return;
        }

        using var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var session = new Uri(http.BaseAddress!, start.Headers.Location!);
        using var chunk = new ByteArrayContent(blob.Bytes);
        chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var patch = await http.PatchAsync(session, chunk, Ct);
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        var next = new Uri(http.BaseAddress!, patch.Headers.Location!);
        var separator = string.IsNullOrEmpty(next.Query) ? "?" : "&";
        using var complete = await http.PutAsync(new Uri(next + separator + "digest=" + blob.Digest), null, Ct);
        Assert.Equal(HttpStatusCode.Created, complete.StatusCode);
    }

    private List<string> MayName(string tag)
    {
        if (!_tagMayName.TryGetValue(tag, out var mayName))
        {
            _tagMayName[tag] = mayName = [];
        }

        return mayName;
    }

    private async Task<string?> PullTagDigestAsync(HttpClient http, string tag, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(TestManifests.OciManifest));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{repository}:{tag}: {(int)response.StatusCode}");
        return Digests.Sha256(await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }
}
