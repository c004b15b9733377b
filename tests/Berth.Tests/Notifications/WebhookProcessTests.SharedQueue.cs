using Berth.Tests.Http;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Notifications;

/// <summary>
/// Two real berth nodes on one filesystem root and one real Redis, posting to one receiver: every event pushed
/// through either node arrives once (by id), in push order; with the receiver down, what one node queued is delivered
/// by the other after the first is stopped; and an event a single-node run left in the store outbox is moved into Redis
/// at start and delivered first.
/// </summary>
public sealed partial class WebhookProcessTests
{
    private static readonly TimeSpan SharedDeadline = TimeSpan.FromSeconds(30);

    /// <summary>What a node logs when it takes the endpoint's lease.</summary>
    private const string Delivers = "this node now delivers endpoint hook";

    [Fact]
    public async Task Serve_TwoNodesOneRedis_EveryEventOnceInOrderAndAStoppedNodesEventsDeliveredByTheOther()
    {
        using var temp = new TempDirectory("berth-notify-shared");
        var root = temp.Combine("root");
        await using var redis = await RedisServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync();
        var config = WriteConfig(temp, receiver.Port);
        var environment = new Dictionary<string, string> { ["REGISTRY_REDIS_ADDR"] = redis.Address };
        var repo = Digests.NewRepository("shared");
        var outboxFolder = Path.Combine(root, ".berth-events", "hook");
        // What a single-node run left undelivered: moved into Redis when A starts, so delivered first.
        var expected = new List<string> { LeaveInStoreOutbox(outboxFolder, repo) };
        // A takes the endpoint's lease before B starts, so A delivers until it stops and B must take over.
        await using var a = await BerthProcess.StartAsync(root, environment, config, Ct);
        await Poll.UntilAsync(() => a.Output.Contains(Delivers, StringComparison.Ordinal), "node A delivering", SharedDeadline);
        await using var b = await BerthProcess.StartAsync(root, environment, config, Ct);
        using var httpA = new HttpClient { BaseAddress = a.BaseUri };
        using var httpB = new HttpClient { BaseAddress = b.BaseUri };
        var (nodeA, nodeB) = (new RegistryClient(httpA), new RegistryClient(httpB));

        for (var i = 0; i < 6; i++)
        {
            var blob = await (i % 2 == 0 ? nodeA : nodeB).PushBlobAsync(repo, Digests.RandomBytes());
            expected.Add($"push {repo} {blob.Digest}");
        }

        await Poll.UntilAsync(() => Distinct(receiver.Events).Count >= expected.Count, $"{expected.Count} events from both nodes", SharedDeadline);
        Assert.Equal(expected, Distinct(receiver.Events).Select(e => e.Summary));
        Assert.Contains("moved 1 events of endpoint hook", a.Output, StringComparison.Ordinal);

        receiver.Available = false;
        var queuedByA = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var blob = await nodeA.PushBlobAsync(repo, Digests.RandomBytes());
            queuedByA.Add($"push {repo} {blob.Digest}");
        }

        await a.StopAsync();
        receiver.Available = true;

        await Poll.UntilAsync(() => Distinct(receiver.Events).Count >= expected.Count + queuedByA.Count,
            $"the {queuedByA.Count} events node A queued, from node B", SharedDeadline);
        var events = Distinct(receiver.Events);
        Assert.Equal([.. expected, .. queuedByA], events.Select(e => e.Summary));
        // Recorded by A, delivered after A was gone: so by B.
        Assert.All(events.Skip(expected.Count), e => Assert.EndsWith($":{a.Port}", e.Event.GetProperty("source").GetProperty("addr").GetString()));
        Assert.Contains(Delivers, b.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(outboxFolder));
    }

    /// <summary>Writes one push event as the store outbox keeps it (<c>&lt;sequence&gt;.json</c>); returns its summary.</summary>
    private static string LeaveInStoreOutbox(string folder, string repo)
    {
        var digest = Digests.Absent();
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "00000000000000000001.json"), $$$"""
            {"id":"{{{Guid.NewGuid()}}}","timestamp":"2026-01-01T00:00:00Z","action":"push","target":{"repository":"{{{repo}}}","digest":"{{{digest}}}"},"request":{"id":"","method":"PUT","useragent":""},"actor":{},"source":{"addr":"single-node:5000"}}
            """);
        return $"push {repo} {digest}";
    }
}
