using Berth.Storage.State;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.State;

public sealed class InProcessStateTests : RegistryStateConformanceTests
{
    private readonly FixedTimeProvider _time = new(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero));

    protected override TimeSpan ShortLease => TimeSpan.FromSeconds(30);

    protected override Task<RegistryState> CreateStateAsync() => Task.FromResult(RegistryState.InProcess(_time));

    protected override Task LetPassAsync(TimeSpan time)
    {
        _time.Now += time;
        return Task.CompletedTask;
    }
}
