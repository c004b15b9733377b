using Berth.Storage.Drivers;
using Berth.Storage.Tests.Drivers;
using Berth.Storage.Tracing;

namespace Berth.Storage.Tests.Tracing;

/// <summary>The decorator keeps the whole driver contract: it adds spans, never behaviour.</summary>
public sealed class TracingStorageDriverConformanceTests : StorageDriverConformanceTests
{
    protected override IStorageDriver CreateDriver() => new TracingStorageDriver(new InMemoryDriver(), "inmemory");
}
