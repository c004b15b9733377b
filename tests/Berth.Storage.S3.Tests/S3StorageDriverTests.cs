using Berth.Storage.Drivers;
using Berth.Storage.Tests.Drivers;

namespace Berth.Storage.S3.Tests;

/// <summary>The shared driver conformance suite on a real S3 server (Ceph RGW), each test below its own root.</summary>
public sealed partial class S3StorageDriverTests(SharedRgw shared) : StorageDriverConformanceTests, IDisposable
{
    private readonly List<S3StorageDriver> _drivers = [];

    /// <summary>The smallest part S3 allows, so a few MiB already make a multipart upload.</summary>
    private const int SmallChunk = 5 * 1024 * 1024;

    protected override IStorageDriver CreateDriver() => NewDriver(shared.Options("conformance") with { ChunkSize = SmallChunk });

    public void Dispose()
    {
        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }
    }

    private S3StorageDriver NewDriver(S3DriverOptions options)
    {
        var driver = SharedRgw.Driver(options);
        _drivers.Add(driver);
        return driver;
    }
}
