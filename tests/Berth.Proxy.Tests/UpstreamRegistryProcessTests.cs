using Berth.Core;
using Berth.Proxy.Upstream;
using Berth.TestKit;

namespace Berth.Proxy.Tests;

/// <summary>The upstream client's reads against Debian's docker-registry playing an anonymous upstream.</summary>
public sealed class UpstreamRegistryProcessTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new("berth-upstream");
    private DockerRegistryProcess? _upstream;
    private UpstreamRegistry? _client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DockerRegistryProcess Upstream => _upstream!;

    private UpstreamRegistry Client => _client!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await DockerRegistryProcess.StartAsync(_folder.Combine("root"), Ct);
        _client = new UpstreamRegistry(_upstream.BaseUri, credentials: null, TimeSpan.FromSeconds(30), TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task HeadAndGetManifest_ByTagAndByDigest_TheDigestPushed()
    {
        var (manifest, _) = await UpstreamSeed.PushAsync(Upstream.BaseUri, "library/nginx", "latest", authorization: null, Ct);

        var head = await Client.HeadManifestAsync("library/nginx", "latest", Ct);
        var byTag = await Client.GetManifestAsync("library/nginx", "latest", Ct);
        var byDigest = await Client.GetManifestAsync("library/nginx", manifest, Ct);

        Assert.Equal((Digest.Parse(manifest), UpstreamSeed.ManifestType), (head!.Digest, head.MediaType));
        Assert.Equal(head.Size, byTag!.Bytes.Length);
        Assert.Equal((head.Digest, head.Digest), (byTag.Digest, byDigest!.Digest));
        Assert.Equal(head.Digest, Digest.Compute(byDigest.Bytes.Span));
    }

    [Fact]
    public async Task GetBlob_Pushed_StreamsItsBytesWithTheirLength()
    {
        var (_, config) = await UpstreamSeed.PushAsync(Upstream.BaseUri, "org/app", "1", authorization: null, Ct);

        using var blob = await Client.GetBlobAsync("org/app", Digest.Parse(config), Ct);
        using var copy = new MemoryStream();
        await blob!.Content.CopyToAsync(copy, Ct);

        Assert.Equal(config, UpstreamSeed.Digest(copy.ToArray()));
        Assert.Equal(copy.Length, blob.Length);
    }

    [Fact]
    public async Task Missing_TagManifestOrBlob_Null()
    {
        await UpstreamSeed.PushAsync(Upstream.BaseUri, "org/app", "1", authorization: null, Ct);
        var absent = Digest.Compute("absent"u8);

        Assert.Null(await Client.HeadManifestAsync("org/app", "2", Ct));
        Assert.Null(await Client.GetManifestAsync("org/other", "1", Ct));
        Assert.Null(await Client.GetBlobAsync("org/app", absent, Ct));
    }

    [Fact]
    public async Task Stopped_AnyRequest_UpstreamUnavailable()
    {
        await Upstream.StopAsync();

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => Client.HeadManifestAsync("org/app", "1", Ct));

        Assert.Equal(UpstreamFailure.Unavailable, failure.Failure);
    }
}
