using System.Globalization;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ScaleOut;

/// <summary>
/// One Ceph RADOS Gateway (S3) and one Redis for the scale-out tests; each test makes its own bucket and its own
/// Redis database, so tests sharing the services cannot see each other's state.
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    private int _buckets;
    private int _databases;

    public CephRgw Rgw { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public TempDirectory Work { get; } = new("berth-scaleout");

    public async ValueTask InitializeAsync()
    {
        var token = TestContext.Current.CancellationToken;
        Rgw = await CephRgw.StartNewAsync(token);
        Redis = await RedisServer.StartAsync(cancellationToken: token);
    }

    /// <summary>A new, empty bucket.</summary>
    public async Task<string> NewBucketAsync()
    {
        var name = "scaleout-" + Interlocked.Increment(ref _buckets).ToString(CultureInfo.InvariantCulture);
        await Rgw.CreateBucketAsync(name, TestContext.Current.CancellationToken);
        return name;
    }

    /// <summary>A Redis database no other test uses (Redis has 16; the tests here need fewer).</summary>
    public int NewDatabase() => Interlocked.Increment(ref _databases) % 16;

    /// <summary>
    /// The REGISTRY_* variables of one node on <paramref name="bucket"/>: every node of a cluster gets the same ones
    /// (one config for every node), with Redis when <paramref name="redisDatabase"/> is given.
    /// </summary>
    public Dictionary<string, string> NodeEnvironment(string bucket, int? redisDatabase, string rootDirectory = "/registry")
    {
        var environment = Rgw.RegistryEnvironment(bucket, rootDirectory);
        environment["REGISTRY_STORAGE_DELETE_ENABLED"] = "true";
        environment["REGISTRY_HTTP_SECRET"] = "one-secret-for-every-node";
        if (redisDatabase is { } database)
        {
            environment["REGISTRY_REDIS_ADDR"] = Redis.Address;
            environment["REGISTRY_REDIS_DB"] = database.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }

    /// <summary>Starts <paramref name="count"/> berth nodes with the same configuration.</summary>
    public static async Task<BerthCluster> StartClusterAsync(IReadOnlyDictionary<string, string> environment, int count = 3)
    {
        var nodes = new List<BerthProcess>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                nodes.Add(await BerthProcess.StartWithStorageAsync(environment, TestContext.Current.CancellationToken));
            }

            return new BerthCluster(nodes);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Rgw is not null)
        {
            await Rgw.DisposeAsync();
        }

        Work.Dispose();
    }
}
