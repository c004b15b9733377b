using System.Diagnostics;
using System.Net;
using Berth.Tests.Http;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Notifications;

/// <summary>
/// A real berth posting events to a real receiver: the events registry would send for push, pull, mount and delete,
/// in order; then, with the receiver down and berth restarted, every event queued meanwhile still arrives, in order.
/// Two nodes sharing one queue in Redis are in <c>WebhookProcessTests.SharedQueue.cs</c>.
/// </summary>
public sealed partial class WebhookProcessTests
{
    private const string EventsV1 = "application/vnd.docker.distribution.events.v1+json";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_PushPullMountDelete_ReceiverGetsRegistryEventsInOrderAcrossOutageAndRestart()
    {
        using var temp = new TempDirectory("berth-notify");
        var root = temp.Combine("root");
        await using var receiver = await WebhookReceiver.StartAsync();
        var config = WriteConfig(temp, receiver.Port);
        var environment = new Dictionary<string, string> { ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true" };
        var expected = new List<string>();
        string firstInstance;

        await using (var berth = await BerthProcess.StartAsync(root, environment, config, Ct))
        {
            using var http = new HttpClient { BaseAddress = berth.BaseUri };
            var registry = new RegistryClient(http);
            var (repo, other) = (Digests.NewRepository("notify"), Digests.NewRepository("notify"));
            var config1 = TestManifests.Config();
            var layer = TestManifests.Layer();
            var manifest = TestManifests.Image(config1, [layer]);

            await registry.PushImageAsync(repo, "v1", manifest, config1, layer);
            expected.AddRange([$"push {repo} {config1.Digest}", $"push {repo} {layer.Digest}", $"push {repo} {manifest.Digest} v1"]);
            await SendOkAsync(http, HttpMethod.Get, $"v2/{repo}/manifests/v1");
            await SendOkAsync(http, HttpMethod.Head, $"v2/{repo}/manifests/{manifest.Digest}");
            await SendOkAsync(http, HttpMethod.Get, $"v2/{repo}/blobs/{layer.Digest}");
            expected.AddRange([$"pull {repo} {manifest.Digest} v1", $"pull {repo} {manifest.Digest}", $"pull {repo} {layer.Digest}"]);
            using (var mount = await http.PostAsync($"v2/{other}/blobs/uploads/?mount={layer.Digest}&from={repo}", null, Ct))
            {
                Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
            }

            await SendOkAsync(http, HttpMethod.Delete, $"v2/{other}/blobs/{layer.Digest}");
            await SendOkAsync(http, HttpMethod.Delete, $"v2/{repo}/manifests/v1");
            await SendOkAsync(http, HttpMethod.Delete, $"v2/{repo}/manifests/{manifest.Digest}");
            expected.AddRange([$"mount {other} {layer.Digest}", $"delete {other} {layer.Digest}", $"delete {repo}  v1",
                $"delete {repo} {manifest.Digest}"]);

            await Poll.UntilAsync(() => receiver.Events.Count >= expected.Count, $"{expected.Count} events");
            var events = receiver.Events;
            Assert.Equal(expected.Select(Normalize), events.Select(e => e.Summary));
            AssertEnvelope(events, berth, manifest, config1, layer, repo);
            firstInstance = events[0].Event.GetProperty("source").GetProperty("instanceID").GetString()!;

            // The receiver goes down: pushes go on, unhurt, and their events wait in the outbox.
            receiver.Available = false;
            for (var i = 0; i < 5; i++)
            {
                var started = Stopwatch.StartNew();
                var blob = await registry.PushBlobAsync(repo, Digests.RandomBytes());
                // Far below the endpoint's 5 s timeout: the push only appended to the outbox.
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"push took {started.Elapsed} with the endpoint down");
                expected.Add($"push {repo} {blob.Digest}");
            }
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, ".berth-events", "hook")));
        receiver.Available = true;
        await using (var berth = await BerthProcess.StartAsync(root, environment, config, Ct))
        {
            await Poll.UntilAsync(() => Distinct(receiver.Events).Count >= expected.Count, $"all {expected.Count} events after the restart",
                TimeSpan.FromSeconds(30));
            var events = Distinct(receiver.Events);
            Assert.Equal(expected.Select(Normalize), events.Select(e => e.Summary));
            // The late ones were recorded by the first run: its instance, not the new one's.
            Assert.All(events, e => Assert.Equal(firstInstance, e.Event.GetProperty("source").GetProperty("instanceID").GetString()));
            await Poll.UntilAsync(() => Directory.GetFiles(Path.Combine(root, ".berth-events", "hook")).Length == 0, "an empty outbox");
        }
    }

    /// <summary>At-least-once: an event may come twice (sent, then berth stopped before forgetting it); the first counts.</summary>
    private static List<ReceivedEvent> Distinct(IReadOnlyList<ReceivedEvent> events) => events.DistinctBy(e => e.Id).ToList();

    private static string Normalize(string summary) => summary.TrimEnd();

    private static void AssertEnvelope(IReadOnlyList<ReceivedEvent> events, BerthProcess berth, Content manifest, Content config, Content layer, string repo)
    {
        Assert.All(events, e =>
        {
            Assert.Equal(EventsV1, e.ContentType);
            Assert.Equal("Bearer hook-secret", e.Authorization);
            Assert.True(Guid.TryParse(e.Id, out _));
            Assert.EndsWith("Z", e.Event.GetProperty("timestamp").GetString());
            Assert.True(DateTimeOffset.TryParse(e.Event.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
            var request = e.Event.GetProperty("request");
            Assert.StartsWith("127.0.0.1:", request.GetProperty("addr").GetString());
            Assert.Equal(berth.HostPort, request.GetProperty("host").GetString());
            Assert.False(string.IsNullOrEmpty(request.GetProperty("id").GetString()));
            Assert.True(request.TryGetProperty("useragent", out _));
            Assert.EndsWith($":{berth.Port}", e.Event.GetProperty("source").GetProperty("addr").GetString());
        });

        var push = events[2];
        Assert.Equal("PUT", push.Method);
        Assert.Equal(manifest.MediaType, push.TargetString("mediaType"));
        Assert.Equal(manifest.Size, push.Target.GetProperty("size").GetInt64());
        Assert.Equal(manifest.Size, push.Target.GetProperty("length").GetInt64());
        Assert.Equal($"http://{berth.HostPort}/v2/{repo}/manifests/{manifest.Digest}", push.TargetString("url"));
        Assert.Equal([config.Digest, layer.Digest],
            push.Target.GetProperty("references").EnumerateArray().Select(r => r.GetProperty("digest").GetString()));
        Assert.Equal("HEAD", events[4].Method);
        Assert.Equal("application/octet-stream", events[5].TargetString("mediaType"));
        Assert.Equal($"http://{berth.HostPort}/v2/{repo}/blobs/{layer.Digest}", events[5].TargetString("url"));
        Assert.Equal(repo, events[6].TargetString("fromRepository"));
        Assert.Equal(layer.Size, events[6].Target.GetProperty("size").GetInt64());
    }

    private static async Task SendOkAsync(HttpClient http, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await http.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
    }

    private static string WriteConfig(TempDirectory temp, int port)
    {
        var path = temp.Combine("config.yml");
        File.WriteAllText(path, $"""
            version: 0.1
            notifications:
              events:
                includereferences: true
              endpoints:
                - name: hook
                  url: http://127.0.0.1:{port}/events
                  mediatype: {EventsV1}
                  headers:
                    Authorization: [Bearer hook-secret]
                  timeout: 5s
                  threshold: 3
                  backoff: 100ms
            """);
        return path;
    }
}
