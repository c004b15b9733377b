using System.Net;
using System.Security.Cryptography;
using System.Text;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Proxy.Mirror;
using Berth.Proxy.Routing;
using Berth.Proxy.Upstream;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.TestKit;

namespace Berth.Proxy.Tests;

/// <summary>
/// What clients of the cache are told when its upstream fails: a scripted upstream that throttles, breaks or hangs,
/// in front of a local store in memory.
/// </summary>
public sealed class MirrorStoreFailureTests : IDisposable
{
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}
        """);

    private static readonly string ManifestDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Manifest));
    private readonly TempDirectory _spool = new("berth-mirror-spool");
    private readonly RegistryStore _local = new(new InMemoryDriver(), new StoreOptions { DeleteEnabled = true });

    /// <summary>Ends a hanging answer, so the scripted upstream can stop.</summary>
    private readonly CancellationTokenSource _release = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What the scripted upstream does next: answer normally, or with this status (and Retry-After), or hang.</summary>
    private (int Status, int? RetryAfter, bool Hang) _behaviour = (200, null, false);

    public void Dispose()
    {
        _release.Dispose();
        _local.Dispose();
        _spool.Dispose();
    }

    [Fact]
    public async Task Throttled_NothingCached_429WithTheUpstreamsRetryAfter()
    {
        await using var upstream = Upstream();
        using var mirror = Mirror(upstream.BaseUri, TimeSpan.FromSeconds(10));
        _behaviour = (429, 30, false);

        var refused = await Assert.ThrowsAsync<RegistryException>(() => Manifests(mirror).GetAsync(Reference.Parse("1"), Ct));

        Assert.Equal((429, RegistryErrorCode.TooManyRequests, TimeSpan.FromSeconds(30)), (refused.Status, refused.Code, refused.RetryAfter));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task UpstreamFails_TagCached_ServedStaleAndSaidSo(int status)
    {
        await using var upstream = Upstream();
        using var mirror = Mirror(upstream.BaseUri, TimeSpan.FromSeconds(10));
        var first = await Manifests(mirror).GetAsync(Reference.Parse("1"), Ct);
        _behaviour = (status, null, false);

        var notice = MirrorNotice.Begin();
        var again = await Manifests(mirror).GetAsync(Reference.Parse("1"), Ct);

        Assert.Equal(ManifestDigest, first!.Digest.ToString());
        Assert.Equal(first.Digest, again!.Digest);
        Assert.Contains($"answered {status}", notice.StaleBecause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamHangs_NothingCached_503WithRetryAfterOnceTheTimeoutPassed()
    {
        await using var upstream = Upstream();
        using var mirror = Mirror(upstream.BaseUri, TimeSpan.FromSeconds(1));
        _behaviour = (200, null, true);

        var refused = await Assert.ThrowsAsync<RegistryException>(() => Manifests(mirror).GetAsync(Reference.Parse("1"), Ct)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal((503, RegistryErrorCode.Unavailable), (refused.Status, refused.Code));
        Assert.NotNull(refused.RetryAfter);
        await _release.CancelAsync();
    }

    [Fact]
    public async Task Push_IntoAMirroredRepository_Denied()
    {
        await using var upstream = Upstream();
        using var mirror = Mirror(upstream.BaseUri, TimeSpan.FromSeconds(10));
        var repository = mirror.Repository(RepositoryName.Parse("library/app"));

        var start = await Assert.ThrowsAsync<RegistryException>(() => repository.Uploads.StartAsync(Ct));
        var put = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(Reference.Parse("1"), Manifest, null, [], Ct));

        Assert.Equal((RegistryErrorCode.Denied, RegistryErrorCode.Denied), (start.Code, put.Code));
        Assert.Contains("mirrors hub", start.Message, StringComparison.Ordinal);
    }

    private static Core.Stores.IManifestStore Manifests(MirrorStore mirror) => mirror.Repository(RepositoryName.Parse("library/app")).Manifests;

    private MirrorStore Mirror(Uri upstream, TimeSpan timeout)
    {
        var remote = new UpstreamRemote("hub", upstream, Prefix: null);
        var client = new UpstreamRegistry(upstream, credentials: null, timeout, TimeProvider.System);
        return new MirrorStore(_local, new UpstreamRouter([remote]), [new UpstreamMirror(remote, client, TimeSpan.Zero, 4, timeout)],
            _spool.Path, TimeProvider.System, CancellationToken.None);
    }

    private ScriptedUpstream Upstream() => new(async context =>
    {
        var (status, retryAfter, hang) = _behaviour;
        if (hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _release.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.AddHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (status != (int)HttpStatusCode.OK)
        {
            return;
        }

        context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
        context.Response.AddHeader("Docker-Content-Digest", ManifestDigest);
        context.Response.ContentLength64 = Manifest.Length;
        if (context.Request.HttpMethod != "HEAD")
        {
            await context.Response.OutputStream.WriteAsync(Manifest, Ct);
        }
    });
}
