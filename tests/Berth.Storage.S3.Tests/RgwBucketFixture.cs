using Berth.TestKit;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// A Ceph RGW with one bucket, started once for the tests that share it and stopped after them. Also compiled into
/// Berth.EndToEnd.Tests.
/// </summary>
public abstract class RgwBucketFixture(string bucket) : IAsyncLifetime
{
    private CephRgw? _rgw;

    public CephRgw Rgw => _rgw ?? throw new InvalidOperationException("the gateway was not started");

    public string Bucket { get; } = bucket;

    public async ValueTask InitializeAsync()
    {
        _rgw = await CephRgw.StartNewAsync(TestContext.Current.CancellationToken);
        await _rgw.CreateBucketAsync(Bucket, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rgw is not null)
        {
            await _rgw.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
