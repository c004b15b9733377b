using Berth.Storage.Drivers;
using Berth.Storage.S3;
using Berth.TestKit;

[assembly: AssemblyFixture(typeof(Berth.Storage.S3.Tests.SharedRgw))]

namespace Berth.Storage.S3.Tests;

/// <summary>
/// The one Ceph RGW most tests of this assembly share (started once, ~15 s), with one bucket; every driver gets its
/// own root directory in it, so tests never see each other's keys. Tests that stop the gateway start their own.
/// </summary>
public sealed class SharedRgw : IAsyncLifetime
{
    private CephRgw? _rgw;

    public CephRgw Rgw => _rgw ?? throw new InvalidOperationException("the gateway was not started");

    public string Bucket { get; } = "berth-shared";

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
    }

    /// <summary>Options for a driver on this gateway below a root directory no other test uses.</summary>
    public S3DriverOptions Options(string purpose) => OptionsFor(Rgw, Bucket, $"/{purpose}/{Guid.NewGuid():N}");

    /// <summary>Options for a driver on <paramref name="rgw"/>: path-style over plain HTTP, as an RGW endpoint is used.</summary>
    public static S3DriverOptions OptionsFor(CephRgw rgw, string bucket, string rootDirectory) => new()
    {
        RegionEndpoint = rgw.Endpoint.GetLeftPart(UriPartial.Authority),
        Region = "us-east-1",
        Bucket = bucket,
        RootDirectory = rootDirectory,
        AccessKey = rgw.AccessKey,
        SecretKey = rgw.SecretKey,
        ForcePathStyle = true,
        Secure = false,
    };

    internal static S3StorageDriver Driver(S3DriverOptions options) => (S3StorageDriver)options.Create();
}
