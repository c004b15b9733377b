using Berth.Storage.Drivers;

namespace Berth.Storage.Tests.Drivers;

public sealed class InMemoryDriverTests : StorageDriverConformanceTests
{
    protected override IStorageDriver CreateDriver() => new InMemoryDriver();

    [Fact]
    public void LocalPath_Any_IsNull()
    {
        Assert.Null(Driver.LocalPath(P("a/b")));
    }
}
