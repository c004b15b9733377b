using System.Diagnostics.Metrics;
using Berth.Metrics;
using Berth.Storage.Drivers;
using Xunit;

namespace Berth.Tests.Metrics;

public sealed class MeteredStorageDriverTests : IDisposable
{
    private readonly BerthMetrics _metrics = new("test");
    private readonly MeterListener _listener = new();
    private readonly List<(string Driver, string Action, double Seconds)> _recorded = [];

    public MeteredStorageDriverTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _metrics.Meter) && instrument.Name == "registry_storage_action_seconds")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(tag => tag.Key, tag => (string)tag.Value!);
            lock (_recorded)
            {
                _recorded.Add((labels["driver"], labels["action"], value));
            }
        });
        _listener.Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task EveryAction_OnTheInMemoryDriver_IsTimedOnceWithRegistryActionNames()
    {
        var driver = new MeteredStorageDriver(new InMemoryDriver(), "inmemory", _metrics);
        var path = StoragePath.Parse("docker/registry/v2/a");

        await driver.WriteAllAsync(path, "x"u8.ToArray(), Ct);
        Assert.Equal("x"u8.ToArray(), await driver.ReadAllAsync(path, Ct));
        Assert.NotNull(await driver.StatAsync(path, Ct));
        Assert.Single(await driver.ListAsync(path.Parent, Ct).ToListAsync(Ct));
        await using (var writer = await driver.OpenWriteAsync(StoragePath.Parse("docker/registry/v2/b"), append: false, Ct))
        {
            await writer.WriteAsync("y"u8.ToArray(), Ct);
            await writer.CommitAsync(Ct);
        }

        await using (var reader = await driver.OpenReadAsync(path, 0, Ct))
        {
            Assert.NotNull(reader);
        }

        await driver.MoveAsync(path, StoragePath.Parse("docker/registry/v2/c"), Ct);
        await driver.DeleteAsync(StoragePath.Parse("docker/registry/v2/c"), Ct);

        Assert.Equal(["PutContent", "GetContent", "Stat", "List", "Writer", "Reader", "Move", "Delete"], _recorded.Select(r => r.Action));
        Assert.All(_recorded, r => Assert.Equal("inmemory", r.Driver));
        Assert.All(_recorded, r => Assert.InRange(r.Seconds, 0, 60));
    }

    [Fact]
    public async Task Move_InnerThrows_IsTimedAndRethrown()
    {
        var driver = new MeteredStorageDriver(new InMemoryDriver(), "inmemory", _metrics);

        await Assert.ThrowsAsync<FileNotFoundException>(() => driver.MoveAsync(StoragePath.Parse("missing"), StoragePath.Parse("b"), Ct));

        Assert.Equal("Move", Assert.Single(_recorded).Action);
    }
}
