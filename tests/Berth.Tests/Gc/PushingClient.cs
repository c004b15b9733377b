using System.Net;
using Berth.Tests.Http;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// One client with a repository of its own and three tags, keeping what each tag should serve; each request goes to
/// one of the nodes at random.
/// </summary>
internal sealed class PushingClient(IReadOnlyList<HttpClient> nodes, string repository, Content[] bases, Random random)
{
    private readonly Dictionary<string, (Content Manifest, Content[] Blobs)> _expected = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => nodes[random.Next(nodes.Count)];

    public int Pushes { get; private set; }

    public int Retries { get; private set; }

    public int Deletes { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var tag = "t" + random.Next(3);
            var roll = random.Next(100);
            if (roll < 60 || !_expected.TryGetValue(tag, out var current))
            {
                var config = TestManifests.Config();
                Content[] layers = [bases[random.Next(bases.Length)], TestManifests.Layer()];
                await PushAsync(tag, TestManifests.Image(config, layers), [config, .. layers]);
            }
            else if (roll < 75)
            {
                await PushAsync(tag, current.Manifest, current.Blobs);
            }
            else if (roll < 90)
            {
                await DeleteAsync(tag);
                _expected.Remove(tag);
            }
            else
            {
                await DeleteAsync(current.Manifest.Digest);
                foreach (var pointing in _expected.Where(e => e.Value.Manifest.Digest == current.Manifest.Digest).Select(e => e.Key).ToList())
                {
                    _expected.Remove(pointing);
                }
            }
        }
    }

    /// <summary>Pulls every tag it expects and checks each digest; a tag it deleted must be gone. Returns the images checked.</summary>
    public async Task<int> VerifyAsync()
    {
        foreach (var tag in new[] { "t0", "t1", "t2" }.Where(tag => !_expected.ContainsKey(tag)))
        {
            using var gone = await Http.GetAsync($"v2/{repository}/manifests/{tag}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        foreach (var (tag, (manifest, blobs)) in _expected)
        {
            await WholeImage.AssertPullsAsync(Http, repository, tag, manifest, blobs, Ct);
        }

        return _expected.Count;
    }

    /// <summary>As docker pushes: HEAD each blob, upload the missing ones, PUT the manifest; on MANIFEST_BLOB_UNKNOWN, again.</summary>
    private async Task PushAsync(string tag, Content manifest, Content[] blobs)
    {
        for (var attempt = 1; ; attempt++)
        {
            foreach (var blob in blobs)
            {
                using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{blob.Digest}"), Ct);
                if (head.StatusCode != HttpStatusCode.OK)
                {
                    using var upload = await Http.PostAsync($"v2/{repository}/blobs/uploads/?digest={blob.Digest}", new ByteArrayContent(blob.Bytes), Ct);
                    Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
                }
            }

            using var put = await Http.PutAsync($"v2/{repository}/manifests/{tag}", RegistryClient.ManifestBody(manifest), Ct);
            if (put.StatusCode == HttpStatusCode.Created)
            {
                _expected[tag] = (manifest, blobs);
                Pushes++;
                return;
            }

            var body = await put.Content.ReadAsStringAsync(Ct);
            Assert.True(put.StatusCode == HttpStatusCode.BadRequest && body.Contains("MANIFEST_BLOB_UNKNOWN", StringComparison.Ordinal) && attempt < 10,
                $"{repository}:{tag} attempt {attempt}: {(int)put.StatusCode} {body}");
            Retries++;
        }
    }

    private async Task DeleteAsync(string reference)
    {
        using var response = await Http.DeleteAsync($"v2/{repository}/manifests/{reference}", Ct);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound, $"DELETE {reference}: {(int)response.StatusCode}");
        Deletes++;
    }
}
