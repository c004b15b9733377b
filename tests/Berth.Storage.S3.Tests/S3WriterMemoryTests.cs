using Berth.Storage.Drivers;

namespace Berth.Storage.S3.Tests;

/// <summary>Counts every allocation in the process, so nothing else may run beside it.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class AllocationCounting;

/// <summary>A layer streams through a writer in parts: the driver never holds more than two parts (one
/// filling while the one before it is sent).</summary>
[Collection(typeof(AllocationCounting))]
public sealed class S3WriterMemoryTests(SharedRgw shared)
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writer_200MiB_AllocatesFarLessThanTheLayer()
    {
        using var driver = SharedRgw.Driver(shared.Options("memory"));
        var piece = new byte[MiB];
        new Random(200).NextBytes(piece);
        // Warm up the client (its first request builds pipelines and caches) so they do not count against the writer.
        await driver.WriteAllAsync(StoragePath.Parse("warm"), piece, Ct);
        var maxOutstanding = 0;

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var writer = await driver.OpenWriteAsync(StoragePath.Parse("layer"), append: false, Ct))
        {
            for (var i = 0; i < 200; i++)
            {
                await writer.WriteAsync(piece, Ct);
                maxOutstanding = Math.Max(maxOutstanding, driver.Buffers.Outstanding);
            }

            await writer.CommitAsync(Ct);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(200L * MiB, (await driver.StatAsync(StoragePath.Parse("layer"), Ct))!.Size);
        Assert.Equal(2, maxOutstanding);
        Assert.Equal(0, driver.Buffers.Outstanding);
        TestContext.Current.SendDiagnosticMessage($"200 MiB written with {allocated / MiB} MiB allocated");
        Assert.True(allocated < 64L * MiB, $"writing 200 MiB allocated {allocated / MiB} MiB: the layer is being buffered");
    }
}
