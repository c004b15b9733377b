using Berth.Configuration;
using Berth.Hosting;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.Storage.Tracing;
using Berth.Tracing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Xunit;

namespace Berth.Tests.Tracing;

/// <summary>Tracing off registers nothing (the benchmark's manifest GETs pay nothing); on, the provider and the decorator.</summary>
public sealed class TracingSetupTests
{
    private static readonly TracingSettings Console = new() { Console = true };

    [Fact]
    public void Decorate_TracingOff_SameDriver()
    {
        var driver = new InMemoryDriver();

        Assert.Same(driver, TracingSetup.Decorate(driver, TracingSettings.Off));
    }

    [Fact]
    public void Decorate_TracingOn_TracingDecorator()
    {
        Assert.IsType<TracingStorageDriver>(TracingSetup.Decorate(new InMemoryDriver(), Console));
    }

    [Fact]
    public async Task Build_TracingOff_NoTracerProvider()
    {
        var driver = new InMemoryDriver();
        using var store = new RegistryStore(driver, new StoreOptions());
        await using var app = RegistryHost.Build(new RegistryConfiguration { Tracing = TracingSettings.Off }, store, driver);

        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Build_TracingOn_TracerProvider()
    {
        var driver = new InMemoryDriver();
        using var store = new RegistryStore(driver, new StoreOptions());
        await using var app = RegistryHost.Build(new RegistryConfiguration { Tracing = Console }, store, driver);

        Assert.NotNull(app.Services.GetService<TracerProvider>());
    }
}
