namespace Berth.Storage.Tests.Helpers;

/// <summary>A clock that says what the test tells it, so time-stamped state is checked exactly.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
