using Berth.TestKit;
using Berth.Tests.Health;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// The concurrency run of online collection (<see cref="CollectionUnderPushes"/>) as a team scales out: three berth
/// nodes on one S3 bucket (Ceph RGW) sharing a Redis, the clients' requests spread over all three, collections back to
/// back with no grace. The bucket is copied to a folder with rclone at the end to compare what it holds with what the
/// manifests name.
/// </summary>
[Collection(RgwGroup.Name)]
public sealed class S3OnlineGcProcessTests(RgwFixture fixture) : IDisposable
{
    private static readonly TimeSpan PushingFor = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _folder = new("berth-s3-online-gc");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_ThreeNodesOnOneBucketSharingRedis_PushesDuringCollections_EveryTagPullsWholeAndGarbageIsGone()
    {
        await using var redis = await RedisServer.StartAsync(cancellationToken: Ct);
        var environment = await fixture.NewBucketEnvironmentAsync("online-gc", Ct);
        foreach (var (name, value) in CollectionUnderPushes.CollectingEnvironment("100ms"))
        {
            environment[name] = value;
        }

        environment["REGISTRY_REDIS_ADDR"] = redis.Address;
        await using var first = await BerthProcess.StartWithStorageAsync(environment, Ct);
        await using var second = await BerthProcess.StartWithStorageAsync(environment, Ct);
        await using var third = await BerthProcess.StartWithStorageAsync(environment, Ct);

        await CollectionUnderPushes.RunAsync([first, second, third], PushingFor, minimumCycles: 4,
            () => CopyBucketAsync(environment["REGISTRY_STORAGE_S3_BUCKET"]));
    }

    private async Task<string> CopyBucketAsync(string bucket)
    {
        var copy = _folder.Combine("copy");
        await CommandRunner.RunCheckedAsync(Tools.Rclone, ["copy", $"{CephRgw.RcloneRemote}:{bucket}/registry", copy],
            new CommandOptions { Environment = fixture.Rgw.RcloneEnvironment }, Ct);
        return copy;
    }
}
