using System.Diagnostics;
using Berth.Core.Errors;
using Berth.Storage.Drivers;
using Berth.TestKit;

namespace Berth.Storage.Azure.Tests;

/// <summary>An object store that is not there, or goes away mid-write: 503s within seconds, nothing half-published.</summary>
public sealed class AzureStorageFailureTests
{
    /// <summary>The driver's retries after a refused connection take about 2 s; this leaves room for a busy machine.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StoragePath P(string path) => StoragePath.Parse(path);

    [Fact]
    public async Task Operations_NothingListening_ThrowServiceUnavailableWithinSeconds()
    {
        var driver = new AzureStorageOptions
        {
            AccountName = AzuriteProcess.AccountName,
            AccountKey = AzuriteProcess.AccountKey,
            Container = "nowhere",
            ServiceUri = new Uri($"http://127.0.0.1:{FreePort.Next()}/{AzuriteProcess.AccountName}"),
        }.Create();

        foreach (var operation in new Func<Task>[]
        {
            () => driver.StatAsync(P("a/b"), Ct),
            () => driver.ReadAllAsync(P("a/b"), Ct),
            () => driver.WriteAllAsync(P("a/b"), "x"u8.ToArray(), Ct),
            async () => await driver.ListAsync(P("a"), Ct).ToListAsync(Ct),
        })
        {
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<ServiceUnavailableException>(operation);
            Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
            Assert.Equal("azure", error.Service);
        }
    }

    [Fact]
    public async Task Writer_StoreStoppedMidWrite_FailsPublishesNothingAndWorksAfterRestart()
    {
        await using var azurite = await AzuriteProcess.StartAsync(Ct);
        var driver = new AzureStorageOptions
        {
            AccountName = AzuriteProcess.AccountName,
            AccountKey = AzuriteProcess.AccountKey,
            Container = "failure",
            ServiceUri = azurite.ServiceUri,
        }.Create();
        await driver.WriteAllAsync(P("before"), "kept"u8.ToArray(), Ct);
        var block = new byte[AzureBlobWriter.BlockSize];

        await using (var writer = await driver.OpenWriteAsync(P("layers/cut"), append: false, Ct))
        {
            await writer.WriteAsync(block, Ct);
            await writer.WriteAsync(block, Ct);
            await azurite.StopAsync();

            await Assert.ThrowsAsync<ServiceUnavailableException>(async () =>
            {
                await writer.WriteAsync(block, Ct);
                await writer.CommitAsync(Ct);
            });
        }

        await azurite.RestartAsync(Ct);
        Assert.Null(await driver.StatAsync(P("layers/cut"), Ct));
        Assert.Equal("kept"u8.ToArray(), await driver.ReadAllAsync(P("before"), Ct));
        await driver.WriteAllAsync(P("after"), "again"u8.ToArray(), Ct);
        Assert.Equal("again"u8.ToArray(), await driver.ReadAllAsync(P("after"), Ct));
    }
}
