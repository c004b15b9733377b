using System.Globalization;
using System.Net;
using Berth.TestKit;
using Berth.Tests.Http;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// <c>storage.retention</c> on a real berth: images pushed and pulled over HTTP, then online retention with the
/// collector every 200 ms, and <c>garbage-collect --retention</c> with and without <c>--dry-run</c>. Each ends by
/// looking at the files: exactly the expected tags remain, and the removed images' blobs are gone.
/// </summary>
public sealed class RetentionProcessTests : IDisposable
{
    /// <summary>Release tags stay, the two newest builds stay, the most recently pulled dev tag stays.</summary>
    private const string Policies = """
        [{repositories: ["**"], deleteuntagged: true, keeptags: [
          {patterns: ["^release-"]},
          {patterns: ["^build-"], mostrecentlypushedcount: 2},
          {patterns: ["^dev-"], mostrecentlypulledcount: 1}]}]
        """;

    private readonly TempDirectory _folder = new("berth-retention");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_OnlineRetention_KeepsExactlyWhatTheRulesSayAndCollectsTheRest()
    {
        var root = _folder.Combine("root");
        var debugPort = FreePort.Next();
        var environment = CollectionUnderPushes.CollectingEnvironment("200ms");
        environment["REGISTRY_STORAGE_RETENTION_POLICIES"] = Policies;
        environment["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}";
        environment["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true";
        await using var berth = await BerthProcess.StartAsync(root, environment, cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        var registry = new RegistryClient(http);

        var images = new Dictionary<string, Content>();
        foreach (var tag in (string[])["release-1", "build-1", "build-2", "build-3", "dev-a"])
        {
            images[tag] = await registry.PushRandomImageBesideCollectionAsync("app", tag);
        }

        // dev-a is pulled before dev-b exists: from then on it is the most recently pulled dev tag, whenever retention runs.
        using (var pull = await http.GetAsync("v2/app/manifests/dev-a", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }

        images["dev-b"] = await registry.PushRandomImageBesideCollectionAsync("app", "dev-b");

        string[] expected = ["build-2", "build-3", "dev-a", "release-1"];
        await PollAsync(async () => (await registry.TagsAsync("app")).SequenceEqual(expected), "retention to remove build-1 and dev-b");
        // Protection of what the pushes uploaded lasts two cycles; then storage holds exactly what the kept manifests name.
        await PollAsync(() => Task.FromResult(StoredBlobs.Referenced(root).SetEquals(StoredBlobs.Present(root))
            && !StoredBlobs.Present(root).Overlaps([images["build-1"].Digest, images["dev-b"].Digest])), "the removed images' blobs to go");

        var present = StoredBlobs.Present(root);
        foreach (var removed in (string[])["build-1", "dev-b"])
        {
            Assert.DoesNotContain(images[removed].Digest, present);
            using var gone = await http.GetAsync($"v2/app/manifests/{images[removed].Digest}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.All(expected, tag => Assert.Contains(images[tag].Digest, present));
        Assert.Contains("retention: removed app:build-1", berth.Output, StringComparison.Ordinal);
        Assert.Contains("retention: removed app:dev-b", berth.Output, StringComparison.Ordinal);
        Assert.Contains("\"dev-a\"", await File.ReadAllTextAsync(Path.Combine(root, "docker/registry/v2/repositories/app/_berth/pulls"), Ct),
            StringComparison.Ordinal);
        var metrics = Metrics.PrometheusText.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{debugPort}/metrics"), Ct));
        Assert.Equal(2, metrics.Value("berth_retention_tags_deleted_total"));
    }

    [Fact]
    public async Task Serve_ManifestGetsArePullsWrittenAtTheLatestAtShutdown_HeadsAreNot()
    {
        var root = _folder.Combine("root");
        var environment = new Dictionary<string, string> { ["REGISTRY_STORAGE_RETENTION_POLICIES"] = Policies };
        Content pulledByDigest;
        await using (var berth = await BerthProcess.StartAsync(root, environment, cancellationToken: Ct))
        {
            using var http = new HttpClient { BaseAddress = berth.BaseUri };
            var registry = new RegistryClient(http);
            await registry.PushRandomImageAsync("app", "by-tag");
            await registry.PushRandomImageAsync("app", "only-head");
            pulledByDigest = await registry.PushRandomImageAsync("app", "by-digest");
            foreach (var (method, reference) in (IEnumerable<(HttpMethod, string)>)
                     [(HttpMethod.Get, "by-tag"), (HttpMethod.Head, "only-head"), (HttpMethod.Get, pulledByDigest.Digest)])
            {
                using var response = await http.SendAsync(new HttpRequestMessage(method, $"v2/app/manifests/{reference}"), Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        var pulls = await File.ReadAllTextAsync(Path.Combine(root, "docker/registry/v2/repositories/app/_berth/pulls"), Ct);
        Assert.Contains("\"by-tag\"", pulls, StringComparison.Ordinal);
        Assert.Contains($"\"{pulledByDigest.Digest}\"", pulls, StringComparison.Ordinal);
        Assert.DoesNotContain("only-head", pulls, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithoutRetention_RecordsNoPull()
    {
        var root = _folder.Combine("root");
        await using (var berth = await BerthProcess.StartAsync(root, cancellationToken: Ct))
        {
            using var http = new HttpClient { BaseAddress = berth.BaseUri };
            await new RegistryClient(http).PushRandomImageAsync("app", "v1");
            using var response = await http.GetAsync("v2/app/manifests/v1", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.False(Directory.Exists(Path.Combine(root, "docker/registry/v2/repositories/app/_berth")));
    }

    [Fact]
    public async Task Serve_RetentionDryRun_OnlyLogsWhatItWouldRemove()
    {
        var root = _folder.Combine("root");
        var environment = CollectionUnderPushes.CollectingEnvironment("200ms");
        environment["REGISTRY_STORAGE_RETENTION_POLICIES"] = Policies;
        environment["REGISTRY_STORAGE_RETENTION_DRYRUN"] = "true";
        await using var berth = await BerthProcess.StartAsync(root, environment, cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        var registry = new RegistryClient(http);
        await registry.PushRandomImageBesideCollectionAsync("app", "scratch");

        await Poll.UntilAsync(() => berth.Output.Contains("retention: would remove app:scratch", StringComparison.Ordinal), "a dry run's line",
            TimeSpan.FromSeconds(30));

        Assert.Equal(["scratch"], await registry.TagsAsync("app"));
    }

    [Fact]
    public async Task GarbageCollectRetention_DryRunReportsEachRuleThenTheRealRunRemovesAndCollects()
    {
        var root = _folder.Combine("root");
        var config = _folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {root}
              retention:
                policies:
                  - repositories: ["**"]
                    keeptags:
                      - patterns: ["^v"]
                        mostrecentlypushedcount: 1
                      - patterns: ["^keep$"]
            """), Ct);
        var images = new Dictionary<string, Content>();
        await using (var berth = await BerthProcess.StartAsync(root, configFile: config, cancellationToken: Ct))
        {
            using var http = new HttpClient { BaseAddress = berth.BaseUri };
            foreach (var tag in (string[])["v1", "v2", "keep", "scratch"])
            {
                images[tag] = await new RegistryClient(http).PushRandomImageAsync("team/app", tag);
            }
        }

        var before = StoredBlobs.Present(root);
        var (dryExit, dryOutput) = await BerthProcess.RunToEndAsync(["garbage-collect", "--retention", "--dry-run", config]);

        Assert.Equal(0, dryExit);
        Assert.Equal(before, StoredBlobs.Present(root));
        string[] lines =
        [
            "retention (dry run: nothing is removed)",
            "team/app: storage.retention.policies.0 (repositories: **)",
            "  storage.retention.policies.0.keeptags.0 (patterns ^v; mostrecentlypushedcount 1):",
            $"    v1 ({images["v1"].Digest}) would be removed: no rule keeps it",
            $"    v2 ({images["v2"].Digest}) kept: among the 1 most recently pushed",
            "  storage.retention.policies.0.keeptags.1 (patterns ^keep$):",
            $"    keep ({images["keep"].Digest}) kept: matches the patterns of a rule with no other criterion",
            "  no keeptags rule matches:",
            $"    scratch ({images["scratch"].Digest}) would be removed: matches no keeptags patterns",
            $"  manifest would be deleted: {images["scratch"].Digest} (its last tag was removed; deleteuntagged)",
            $"  manifest would be deleted: {images["v1"].Digest} (its last tag was removed; deleteuntagged)",
            "retention: would remove 2 tags and 2 manifests; 1 of 1 repositories covered by a policy",
        ];
        Assert.Contains(string.Join('\n', lines), dryOutput.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var (exit, output) = await BerthProcess.RunToEndAsync(["garbage-collect", "--retention", config]);

        Assert.Equal(0, exit);
        Assert.Contains("retention: removed 2 tags and 2 manifests", output, StringComparison.Ordinal);
        Assert.Equal(StoredBlobs.Referenced(root), StoredBlobs.Present(root));
        Assert.DoesNotContain(images["v1"].Digest, StoredBlobs.Present(root));
        Assert.DoesNotContain(images["scratch"].Digest, StoredBlobs.Present(root));
        await using var restarted = await BerthProcess.StartAsync(root, configFile: config, cancellationToken: Ct);
        using var client = new HttpClient { BaseAddress = restarted.BaseUri };
        Assert.Equal(["keep", "v2"], await new RegistryClient(client).TagsAsync("team/app"));
        using var v2 = await client.GetAsync($"v2/team/app/manifests/{images["v2"].Digest}", Ct);
        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
    }

    [Fact]
    public async Task GarbageCollectRetention_NoPolicyConfigured_RefusesAndChangesNothing()
    {
        var config = _folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {_folder.Combine("root")}\n", Ct);

        var (exit, output) = await BerthProcess.RunToEndAsync(["garbage-collect", "--retention", config]);

        Assert.Equal(1, exit);
        Assert.Contains("berth: --retention: the configuration has no storage.retention.policies to apply", output, StringComparison.Ordinal);
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(100, Ct);
        }
    }
}
