using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Proxy;

/// <summary>
/// berth as a pull-through cache of upstream registries (docker-registry processes playing Docker Hub and a private
/// registry), pulled with skopeo and plain HTTP: registry:2's one-upstream mode, several upstreams by prefix and by
/// containerd's <c>?ns=</c> beside local repositories, one fetch for concurrent cold pulls, the tag ttl, an upstream
/// that is down, and one that sends corrupt bytes.
/// </summary>
public sealed class MirrorProcessTests
{
    private const string TwoRemotes = """
          remotes:
            - name: docker.io
              url: {hub}
              prefix: dockerhub
            - name: ghcr.io
              url: {private}
              prefix: ghcr
              username: mirror
              password: up-5f0c
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RemoteUrl_AsRegistry2_PullsThroughThenServesTheCacheWhileTheUpstreamIsDown()
    {
        await using var rig = await MirrorRig.StartAsync("  remoteurl: {hub}\n  local: [\"team/**\"]", withPrivate: false, Ct);
        var image = await rig.SeedAsync(rig.Hub, "library/app:1", Ct, 300_000, 1_200_000);
        using var pulled = new TempDirectory("berth-mirror-pull");

        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/library/app:1", $"dir:{pulled.Combine("first")}", cancellationToken: Ct);
        await rig.Hub.StopAsync();
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/library/app:1", $"dir:{pulled.Combine("again")}", cancellationToken: Ct);

        foreach (var copy in (string[])["first", "again"])
        {
            Assert.Equal(image.ManifestBytes, await File.ReadAllBytesAsync(pulled.Combine(copy, "manifest.json"), Ct));
            foreach (var layer in image.LayerDigests)
            {
                Assert.Equal(image.ReadBlob(layer), await File.ReadAllBytesAsync(pulled.Combine(copy, layer["sha256:".Length..]), Ct));
            }
        }

        using var stale = await rig.GetAsync("v2/library/app/manifests/1", Ct);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("110", string.Join(' ', stale.Headers.GetValues("Warning")), StringComparison.Ordinal);
        Assert.Contains("served from the cache without the upstream's word", rig.Berth.Output, StringComparison.Ordinal);

        using var uncached = await rig.GetAsync("v2/library/app/manifests/2", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, uncached.StatusCode);
        Assert.Contains("UNAVAILABLE", await uncached.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(uncached.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");

        using var push = await rig.Http.PostAsync("v2/library/app/blobs/uploads/", content: null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        Assert.Contains("DENIED", await push.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // proxy.local: the team's own repositories beside the mirror that takes every other name.
        var own = OciImageLayout.Create(pulled.Combine("own"), "v1", 20_000);
        await Skopeo.CopyAsync(own.Reference, $"docker://{rig.Berth.HostPort}/team/app:v1", cancellationToken: Ct);
        Assert.Equal(own.ManifestDigest, await rig.ManifestDigestAsync("v2/team/app/manifests/v1", Ct));
    }

    [Fact]
    public async Task Remotes_ByPrefixAndByNs_BesideALocalRepository()
    {
        await using var rig = await MirrorRig.StartAsync(TwoRemotes, withPrivate: true, Ct);
        var hubImage = await rig.SeedAsync(rig.Hub, "library/app:1", Ct, 100_000);
        var privateImage = await rig.SeedAsync(rig.Private!, "org/tool:2", Ct, 150_000);
        var local = OciImageLayout.Create(new TempDirectory("berth-mirror-local").Path, "v1", 50_000);

        await Skopeo.CopyAsync(local.Reference, $"docker://{rig.Berth.HostPort}/team/app:v1", cancellationToken: Ct);

        Assert.Equal(local.ManifestDigest, await rig.ManifestDigestAsync("v2/team/app/manifests/v1", Ct));
        Assert.Equal(hubImage.ManifestDigest, await rig.ManifestDigestAsync("v2/dockerhub/library/app/manifests/1", Ct));
        Assert.Equal(privateImage.ManifestDigest, await rig.ManifestDigestAsync("v2/ghcr/org/tool/manifests/2", Ct));
        // containerd's hosts.toml mirror: the upstream's name and ?ns=<its host>; Docker Hub's official images unprefixed.
        Assert.Equal(hubImage.ManifestDigest, await rig.ManifestDigestAsync("v2/app/manifests/1?ns=docker.io", Ct));
        Assert.Equal(privateImage.ManifestDigest, await rig.ManifestDigestAsync("v2/org/tool/manifests/2?ns=ghcr.io", Ct));
        using var layer = await rig.GetAsync($"v2/org/tool/blobs/{privateImage.LayerDigests[0]}?ns=ghcr.io", Ct, accept: "*/*");
        Assert.Equal(privateImage.ReadBlob(privateImage.LayerDigests[0]), await layer.Content.ReadAsByteArrayAsync(Ct));

        var names = await rig.Http.GetStringAsync("v2/_catalog", Ct);
        Assert.Contains("\"team/app\"", names, StringComparison.Ordinal);
        Assert.Contains("\"ghcr/org/tool\"", names, StringComparison.Ordinal);
        Assert.DoesNotContain(MirrorRig.UpstreamPassword, rig.Berth.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentColdPulls_OfOneLayer_FetchItOnceAndAllGetItWhole()
    {
        await using var rig = await MirrorRig.StartAsync(TwoRemotes.Split("    - name: ghcr.io")[0], withPrivate: false, Ct);
        var image = await rig.SeedAsync(rig.Hub, "library/big:1", Ct, 24 * 1024 * 1024);
        var layer = image.LayerDigests[0];
        var expected = SHA256.HashData(image.ReadBlob(layer));

        var bodies = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await rig.GetAsync($"v2/dockerhub/library/big/blobs/{layer}", Ct, accept: "*/*");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return SHA256.HashData(await response.Content.ReadAsByteArrayAsync(Ct));
        }));

        Assert.All(bodies, body => Assert.Equal(expected, body));
        Assert.Equal(1, MirrorRig.BlobFetches(rig.Hub, "library/big", layer));
        // Served from the cache from now on.
        using var again = await rig.GetAsync($"v2/dockerhub/library/big/blobs/{layer}", Ct, accept: "*/*");
        Assert.Equal(expected, SHA256.HashData(await again.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(1, MirrorRig.BlobFetches(rig.Hub, "library/big", layer));
    }

    [Fact]
    public async Task TagMovedUpstream_IsSeenOnceTheTtlPassedAndNotBefore()
    {
        var ttl = TimeSpan.FromSeconds(6);
        await using var rig = await MirrorRig.StartAsync($"  remoteurl: {{hub}}\n  ttl: {ttl.TotalSeconds}s", withPrivate: false, Ct);
        var first = await rig.SeedAsync(rig.Hub, "library/app:latest", Ct, 10_000);
        Assert.Equal(first.ManifestDigest, await rig.ManifestDigestAsync("v2/library/app/manifests/latest", Ct));
        var validated = Stopwatch.StartNew();

        var second = await rig.SeedAsync(rig.Hub, "library/app:latest", Ct, 20_000);
        var seen = await rig.ManifestDigestAsync("v2/library/app/manifests/latest", Ct);
        if (validated.Elapsed < ttl)
        {
            Assert.Equal(first.ManifestDigest, seen);
        }

        while (seen != second.ManifestDigest)
        {
            Assert.True(validated.Elapsed < ttl + TimeSpan.FromSeconds(60), "the moved tag was never seen");
            await Task.Delay(250, Ct);
            var before = validated.Elapsed;
            seen = await rig.ManifestDigestAsync("v2/library/app/manifests/latest", Ct);
            Assert.True(seen == first.ManifestDigest || before >= ttl - TimeSpan.FromMilliseconds(100), $"the new digest was served {before} after validation, before the ttl");
        }

        Assert.True(validated.Elapsed >= ttl, "served the moved tag before the ttl passed");
    }

    [Fact]
    public async Task CorruptLayerUpstream_IsNotCached_AndThePullWorksOnceTheUpstreamIsFixed()
    {
        await using var rig = await MirrorRig.StartAsync("  remoteurl: {hub}", withPrivate: false, Ct);
        var image = await rig.SeedAsync(rig.Hub, "library/app:1", Ct, 2 * 1024 * 1024);
        var layer = image.LayerDigests[0];
        var hex = layer["sha256:".Length..];
        var upstreamData = Path.Combine(rig.HubRoot, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
        var whole = await File.ReadAllBytesAsync(upstreamData, Ct);
        var corrupt = (byte[])whole.Clone();
        corrupt[corrupt.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(upstreamData, corrupt, Ct);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await rig.GetAsync($"v2/library/app/blobs/{layer}", Ct, accept: "*/*");
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.Fail($"a corrupt layer was served whole ({body.Length} bytes)");
        });
        Assert.False(File.Exists(Path.Combine(rig.Root, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data")), "the corrupt layer was cached");

        await File.WriteAllBytesAsync(upstreamData, whole, Ct);
        using var fixedPull = new TempDirectory("berth-mirror-fixed");
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/library/app:1", $"dir:{fixedPull.Path}", cancellationToken: Ct);
        Assert.Equal(whole, await File.ReadAllBytesAsync(fixedPull.Combine(hex), Ct));
    }

    [Fact]
    public async Task TagsAndReferrers_OfAMirroredRepository_AreTheUpstreams()
    {
        await using var rig = await MirrorRig.StartAsync("  remoteurl: {hub}", withPrivate: false, Ct);
        var image = await rig.SeedAsync(rig.Hub, "library/app:1", Ct, 10_000);
        await rig.SeedAsync(rig.Hub, "library/app:2", Ct, 10_000);
        // registry:2 has no referrers API: a signature-like artifact, and the sha256-<hex> index older clients push.
        var referrer = await UpstreamReferrer.PushAsync(rig.Hub.BaseUri, "library/app", image.ManifestDigest, Ct);

        var tags = await rig.Http.GetStringAsync("v2/library/app/tags/list", Ct);
        using var referrers = await rig.GetAsync($"v2/library/app/referrers/{image.ManifestDigest}", Ct, accept: "application/vnd.oci.image.index.v1+json");
        var listed = await referrers.Content.ReadAsStringAsync(Ct);

        Assert.Contains("\"1\"", tags, StringComparison.Ordinal);
        Assert.Contains("\"2\"", tags, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, referrers.StatusCode);
        Assert.Contains(referrer, listed, StringComparison.Ordinal);
        Assert.Contains(UpstreamReferrer.ArtifactType, listed, StringComparison.Ordinal);
        // Kept: the referrer itself is served from the cache by digest once the upstream is gone.
        await rig.Hub.StopAsync();
        Assert.Equal(referrer, await rig.ManifestDigestAsync($"v2/library/app/manifests/{referrer}", Ct));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ExecCredentialHelper_GivesTheUpstreamsCredentials()
    {
        using var helperFolder = new TempDirectory("berth-mirror-helper");
        var helper = helperFolder.Combine("docker-credential-test");
        var asked = helperFolder.Combine("asked");
        await File.WriteAllTextAsync(helper, $$"""
            #!/bin/sh
            read host
            echo "$1 $host" >> {{asked}}
            echo '{"ServerURL":"'$host'","Username":"{{MirrorRig.UpstreamUser}}","Secret":"{{MirrorRig.UpstreamPassword}}"}'
            """, Ct);
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var rig = await MirrorRig.StartAsync($$"""
              remotes:
                - name: ghcr.io
                  url: {private}
                  prefix: ghcr
                  exec:
                    command: {{helper}}
                    lifetime: 1h
            """, withPrivate: true, Ct);
        var image = await rig.SeedAsync(rig.Private!, "org/tool:2", Ct, 20_000);

        Assert.Equal(image.ManifestDigest, await rig.ManifestDigestAsync("v2/ghcr/org/tool/manifests/2", Ct));
        using var layer = await rig.GetAsync($"v2/ghcr/org/tool/blobs/{image.LayerDigests[0]}", Ct, accept: "*/*");
        Assert.Equal(image.ReadBlob(image.LayerDigests[0]), await layer.Content.ReadAsByteArrayAsync(Ct));
        // Run once (its answer is kept for the lifetime), with the verb and the upstream's host.
        Assert.Equal([$"get 127.0.0.1"], await File.ReadAllLinesAsync(asked, Ct));
        Assert.DoesNotContain(MirrorRig.UpstreamPassword, rig.Berth.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageCollect_KeepsWhatACachedImageUses_AndFreesWhatNoneDoes()
    {
        await using var rig = await MirrorRig.StartAsync("  remoteurl: {hub}", withPrivate: false, Ct);
        var kept = await rig.SeedAsync(rig.Hub, "library/app:1", Ct, 100_000, 200_000);
        var evicted = await rig.SeedAsync(rig.Hub, "library/tool:1", Ct, 300_000);
        using var pulled = new TempDirectory("berth-mirror-gc");
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/library/app:1", $"dir:{pulled.Combine("before")}", cancellationToken: Ct);
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/library/tool:1", $"dir:{pulled.Combine("tool")}", cancellationToken: Ct);
        // Evicting a cached image is deleting it here (deletion is enabled); its layer is then garbage.
        using (var delete = await rig.Http.DeleteAsync($"v2/library/tool/manifests/{evicted.ManifestDigest}", Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        var report = await rig.CollectGarbageAsync(["-m"], Ct);
        await rig.Hub.StopAsync();
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/library/app:1", $"dir:{pulled.Combine("after")}", cancellationToken: Ct);

        foreach (var layer in kept.LayerDigests)
        {
            Assert.Equal(kept.ReadBlob(layer), await File.ReadAllBytesAsync(pulled.Combine("after", layer["sha256:".Length..]), Ct));
        }

        var hex = evicted.LayerDigests[0]["sha256:".Length..];
        Assert.False(File.Exists(Path.Combine(rig.Root, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data")),
            $"the evicted image's layer is still stored:\n{report}");
    }

    [Fact]
    public async Task Retention_OnAMirrorPrefix_RemovesTheCachedTagsNotPulledLately()
    {
        const string KeepLastPulled = """
              retention:
                policies:
                  - repositories: ["dockerhub/**"]
                    keeptags:
                      - mostrecentlypulledcount: 1
            """;
        await using var rig = await MirrorRig.StartAsync(TwoRemotes.Split("    - name: ghcr.io")[0], withPrivate: false, Ct, KeepLastPulled);
        var old = await rig.SeedAsync(rig.Hub, "library/app:1", Ct, 100_000);
        var recent = await rig.SeedAsync(rig.Hub, "library/app:2", Ct, 100_000);
        using var pulled = new TempDirectory("berth-mirror-retention");
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/dockerhub/library/app:1", $"dir:{pulled.Combine("1")}", cancellationToken: Ct);
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/dockerhub/library/app:2", $"dir:{pulled.Combine("2")}", cancellationToken: Ct);

        var report = await rig.CollectGarbageAsync(["--retention", "-m"], Ct);
        await rig.Hub.StopAsync();

        Assert.Contains("dockerhub/library/app", report, StringComparison.Ordinal);
        await Skopeo.CopyAsync($"docker://{rig.Berth.HostPort}/dockerhub/library/app:2", $"dir:{pulled.Combine("again")}", cancellationToken: Ct);
        Assert.Equal(recent.ReadBlob(recent.LayerDigests[0]), await File.ReadAllBytesAsync(pulled.Combine("again", recent.LayerDigests[0]["sha256:".Length..]), Ct));
        using var gone = await rig.GetAsync("v2/dockerhub/library/app/manifests/1", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
        var hex = old.LayerDigests[0]["sha256:".Length..];
        Assert.False(File.Exists(Path.Combine(rig.Root, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data")),
            $"the layer only the removed tag used is still stored:\n{report}");
    }
}

