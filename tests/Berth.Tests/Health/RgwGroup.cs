using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Health;

/// <summary>
/// One Ceph RGW for this project's berth-on-S3 process tests (it takes ~20 s to start). They form one collection, so
/// they run one after another: a test may stop and restart the gateway without disturbing another. Each test takes a
/// bucket of its own.
/// </summary>
public sealed class RgwFixture : IAsyncLifetime
{
    private CephRgw? _rgw;

    public CephRgw Rgw => _rgw ?? throw new InvalidOperationException("the gateway was not started");

    /// <summary>berth's REGISTRY_* variables for a new, empty bucket.</summary>
    public async Task<Dictionary<string, string>> NewBucketEnvironmentAsync(string prefix, CancellationToken cancellationToken)
    {
        var bucket = CephRgw.UniqueBucketName(prefix);
        await Rgw.CreateBucketAsync(bucket, cancellationToken);
        return Rgw.RegistryEnvironment(bucket, "/registry");
    }

    public async ValueTask InitializeAsync() => _rgw = await CephRgw.StartNewAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_rgw is not null)
        {
            await _rgw.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RgwGroup : ICollectionFixture<RgwFixture>
{
    public const string Name = "Ceph RGW";
}
