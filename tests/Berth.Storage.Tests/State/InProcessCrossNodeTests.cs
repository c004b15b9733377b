using Berth.Storage.Drivers;
using Berth.Storage.State;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;
using Berth.TestKit;

namespace Berth.Storage.Tests.State;

/// <summary>
/// Several nodes without Redis: tags and deletes are exact (nothing per node decides them), and the catalog catches up
/// within the refresh interval, driven here by a manual clock.
/// </summary>
public sealed class InProcessCrossNodeTests : CrossNodeConformanceTests
{
    private static readonly TimeSpan Refresh = RegistryState.DefaultCatalogRefresh;
    private readonly ManualTimers _time = new();

    protected override async Task<(RegistryStore Store, IStorageDriver Driver)> StartNodeAsync()
    {
        var store = new RegistryStore(Storage, new StoreOptions { DeleteEnabled = true }, _time, RegistryState.InProcess(_time, Refresh));
        await store.InitializeAsync(Ct);
        return (store, Storage);
    }

    protected override async Task LetCatalogCatchUpAsync(RegistryStore node)
    {
        _time.Advance(Refresh);
        await ((CatalogIndex)node.Catalog).LastRefresh;
    }

    [Fact]
    public async Task Catalog_BeforeTheRefreshInterval_OtherNodesRepositoryNotYetListed()
    {
        var (a, _) = await StartNodeAsync();
        var (b, _) = await StartNodeAsync();
        using (a)
        using (b)
        {
            var upload = await a.Repository(Name("late")).Uploads.StartAsync(Ct);
            var content = TestContent.Random(10, 1);
            await a.Repository(Name("late")).Uploads.CompleteAsync(upload.Id, Core.Digest.Compute(content), TestContent.Stream(content), null, Ct);

            _time.Advance(Refresh - TimeSpan.FromSeconds(1));
            Assert.DoesNotContain("late", (await b.Catalog.PageAsync(null, 10, Ct)).Names);
            _time.Advance(TimeSpan.FromSeconds(1));
            await ((CatalogIndex)b.Catalog).LastRefresh;
            Assert.Contains("late", (await b.Catalog.PageAsync(null, 10, Ct)).Names);
        }
    }
}
