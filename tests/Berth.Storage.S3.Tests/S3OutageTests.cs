using System.Diagnostics;
using Berth.Core.Errors;
using Berth.Storage.Drivers;
using Berth.Storage.Tests.Helpers;
using Berth.TestKit;

namespace Berth.Storage.S3.Tests;

/// <summary>
/// The store failing under the driver: nothing listening, the gateway stopped in the middle of an upload, the gateway
/// back. On a gateway of their own, since they stop it.
/// </summary>
public sealed class S3OutageTests(OutageRgw outage) : IClassFixture<OutageRgw>
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CephRgw Rgw => outage.Rgw;

    [Fact]
    public async Task AnyCall_NothingListening_ServiceUnavailableWithinSeconds()
    {
        var options = SharedRgw.OptionsFor(Rgw, outage.Bucket, "/dead") with { RegionEndpoint = $"http://127.0.0.1:{FreePort.Next()}" };
        using var driver = SharedRgw.Driver(options);
        var path = StoragePath.Parse("a/file");

        var clock = Stopwatch.StartNew();
        var stat = await Assert.ThrowsAsync<ServiceUnavailableException>(() => driver.StatAsync(path, Ct));
        var elapsed = clock.Elapsed;
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => driver.WriteAllAsync(path, "x"u8.ToArray(), Ct));
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => driver.ReadAllAsync(path, Ct));
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => driver.DeleteAsync(path, Ct));

        Assert.Equal("s3", stat.Service);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"a refused connection took {elapsed} to report");
    }

    [Fact]
    public async Task Writer_GatewayStoppedMidUpload_FailsAndPublishesNothingThenRecovers()
    {
        using var driver = SharedRgw.Driver(SharedRgw.OptionsFor(Rgw, outage.Bucket, $"/{Guid.NewGuid():N}") with
        {
            ChunkSize = 5 * MiB,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        var path = StoragePath.Parse("_uploads/id/data");
        var writer = await driver.OpenWriteAsync(path, append: false, Ct);
        try
        {
            // One part is out (the multipart upload exists), the rest waits in the buffer when the gateway goes.
            await writer.WriteAsync(TestContent.Random(6 * MiB, seed: 6), Ct);
            await Rgw.StopGatewayAsync(Ct);

            await Assert.ThrowsAsync<ServiceUnavailableException>(async () =>
            {
                await writer.WriteAsync(TestContent.Random(5 * MiB, seed: 7), Ct);
                await writer.CommitAsync(Ct);
            });
        }
        finally
        {
            await writer.DisposeAsync();
            await Rgw.StartGatewayAsync(Ct);
        }

        Assert.Null(await driver.StatAsync(path, Ct));
        await driver.WriteAllAsync(path, "after"u8.ToArray(), Ct);
        Assert.Equal("after"u8.ToArray(), await driver.ReadAllAsync(path, Ct));
    }
}
