using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.State;

/// <summary>
/// On storage whose folders have no modification time (object stores), nothing proves a cached tag list current, so
/// each node lists storage every time and sees a tag another node added or removed.
/// </summary>
public sealed class FolderlessTagListTests : StoreTestBase
{
    public FolderlessTagListTests()
        : base(Backend.InMemory)
    {
    }

    [Fact]
    public async Task ListTags_TagAddedAndRemovedThroughAnotherNode_SeenAtOnce()
    {
        var storage = new FolderlessDriver(Driver);
        using var a = new RegistryStore(storage, new StoreOptions { DeleteEnabled = true }, Time);
        using var b = new RegistryStore(storage, new StoreOptions(), Time);
        var app = RepositoryName.Parse("app");
        await PushImageAsync(a.Repository(app), Image(1), "v1");
        Time.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(["v1"], await b.Repository(app).Tags.ListAsync(Ct));

        await PushImageAsync(a.Repository(app), Image(2), "v2");
        Assert.Equal(["v1", "v2"], await b.Repository(app).Tags.ListAsync(Ct));
        await a.Repository(app).Manifests.DeleteAsync(Reference.Of(Tag.Parse("v1")), Ct);
        Assert.Equal(["v2"], await b.Repository(app).Tags.ListAsync(Ct));
    }
}
