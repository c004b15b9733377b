using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// The heart of online collection (<see cref="CollectionUnderPushes"/>) on the filesystem: a real berth collects with no
/// grace, a cycle every 50 ms, while clients push, retag and delete, as docker does (HEAD each blob, upload what is
/// missing, PUT the manifest, and start over on MANIFEST_BLOB_UNKNOWN). On one node, and on two nodes sharing the
/// folder and a Redis, with the clients' requests spread over both.
/// </summary>
public sealed class OnlineGcProcessTests : IDisposable
{
    private static readonly TimeSpan PushingFor = TimeSpan.FromSeconds(12);
    private readonly TempDirectory _folder = new("berth-online-gc");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_PushesRetagsAndDeletesDuringBackToBackCollections_EveryTagPullsWholeAndGarbageIsGone()
    {
        var root = _folder.Combine("root");
        await using var berth = await BerthProcess.StartAsync(root, CollectionUnderPushes.CollectingEnvironment("50ms"), cancellationToken: Ct);
        await CollectionUnderPushes.RunAsync([berth], PushingFor, minimumCycles: 20, () => Task.FromResult(root));
    }

    [Fact]
    public async Task Serve_TwoNodesSharingRedis_PushesSpreadOverBothDuringCollections_EveryTagPullsWholeAndGarbageIsGone()
    {
        var root = _folder.Combine("root");
        await using var redis = await RedisServer.StartAsync(cancellationToken: Ct);
        var environment = CollectionUnderPushes.CollectingEnvironment("50ms");
        environment["REGISTRY_REDIS_ADDR"] = redis.Address;
        await using var first = await BerthProcess.StartAsync(root, environment, cancellationToken: Ct);
        await using var second = await BerthProcess.StartAsync(root, environment, cancellationToken: Ct);
        // A new cycle waits for both nodes' next beat (four a second): fewer cycles than on one node.
        await CollectionUnderPushes.RunAsync([first, second], PushingFor, minimumCycles: 4, () => Task.FromResult(root));
    }
}
