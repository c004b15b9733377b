using Berth.Storage.Drivers;
using Berth.TestKit;

namespace Berth.Storage.Azure.Tests;

/// <summary>One Azurite for a test collection; every driver it makes gets a container of its own.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("azurite has not started");

    public async ValueTask InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>Options for a fresh container (made by the driver's first write) on this Azurite.</summary>
    public AzureStorageOptions Options(string? rootDirectory = null) => new()
    {
        AccountName = AzuriteProcess.AccountName,
        AccountKey = AzuriteProcess.AccountKey,
        Container = "t" + Guid.NewGuid().ToString("N"),
        ServiceUri = Azurite.ServiceUri,
        RootDirectory = rootDirectory ?? "",
    };

    public IStorageDriver CreateDriver(string? rootDirectory = null) => Options(rootDirectory).Create();
}
