using Berth.Storage.Drivers;
using Berth.Storage.Tests.Drivers;

namespace Berth.Storage.Azure.Tests;

/// <summary>The shared driver contract, against Azurite.</summary>
[Collection(AzuriteGroup.Name)]
public sealed partial class AzureStorageDriverTests(AzuriteFixture azurite) : StorageDriverConformanceTests
{
    protected override IStorageDriver CreateDriver() => Options.Create();
}
