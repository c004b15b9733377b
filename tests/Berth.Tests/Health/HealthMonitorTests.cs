using Berth.TestKit;
using Berth.Health;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Berth.Tests.Health;

public sealed class HealthMonitorTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly ManualTimers _time = new();
    private readonly List<HealthMonitor> _monitors = [];

    /// <summary>What the probe answers next: null passes, text fails with that message.</summary>
    private string? _outcome;
    private int _runs;

    public async ValueTask DisposeAsync()
    {
        foreach (var monitor in _monitors)
        {
            await monitor.DisposeAsync();
        }
    }

    [Fact]
    public void Start_FirstProbeFailsWithThresholdOne_UnhealthyAtOnce()
    {
        _outcome = "down";
        var monitor = Started(threshold: 1);

        Assert.False(monitor.IsHealthy);
        Assert.Equal(new Dictionary<string, string> { ["probe"] = "down" }, monitor.Failures());
    }

    [Fact]
    public void Tick_FailuresBelowThreshold_StillHealthy()
    {
        _outcome = "down";
        var monitor = Started(threshold: 3);
        _time.Advance(Interval);

        Assert.Equal(2, _runs);
        Assert.True(monitor.IsHealthy);
        Assert.Empty(monitor.Failures());

        _time.Advance(Interval);

        Assert.False(monitor.IsHealthy);
        Assert.Equal("down", monitor.Failures()["probe"]);
    }

    [Fact]
    public void Tick_PassAfterFailure_RecoversAtOnce()
    {
        _outcome = "down";
        var monitor = Started(threshold: 2);
        _time.Advance(Interval);
        Assert.False(monitor.IsHealthy);

        _outcome = null;
        _time.Advance(Interval);

        Assert.True(monitor.IsHealthy);
        Assert.Empty(monitor.Failures());
    }

    [Fact]
    public void Tick_PassBetweenFailures_StartsTheCountAgain()
    {
        var monitor = Started(threshold: 2);
        foreach (var outcome in (string?[])["down", null, "down"])
        {
            _outcome = outcome;
            _time.Advance(Interval);
        }

        Assert.True(monitor.IsHealthy);
        _time.Advance(Interval);
        Assert.False(monitor.IsHealthy);
    }

    [Fact]
    public void Tick_BeforeInterval_DoesNotProbe()
    {
        Started(threshold: 1);
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, _runs);
    }

    [Fact]
    public void Tick_ThresholdZero_FailsOnFirstFailureAsOne()
    {
        _outcome = "down";

        Assert.False(Started(threshold: 0).IsHealthy);
    }

    [Fact]
    public void IsReady_BeforeMarkReadyOrWhileUnhealthy_False()
    {
        var monitor = Started(threshold: 1);
        Assert.False(monitor.IsReady);

        monitor.MarkReady();
        Assert.True(monitor.IsReady);

        _outcome = "down";
        _time.Advance(Interval);
        Assert.False(monitor.IsReady);
    }

    [Fact]
    public void Failures_TwoChecksOneFailing_NamesOnlyTheFailingOne()
    {
        var monitor = new HealthMonitor(
            [new HealthCheck("a-ok", Interval, 1, _ => Task.CompletedTask), new HealthCheck("b-down", Interval, 1, _ => Task.FromException(new IOException("refused")))],
            _time, NullLogger.Instance);
        _monitors.Add(monitor);
        monitor.Start();
        _time.Advance(TimeSpan.Zero);

        Assert.Equal(new Dictionary<string, string> { ["b-down"] = "refused" }, monitor.Failures());
    }

    [Fact]
    public async Task Dispose_StopsTheTimers()
    {
        var monitor = Started(threshold: 1);
        await monitor.DisposeAsync();
        _time.Advance(Interval * 3);

        Assert.Equal(1, _runs);
    }

    private HealthMonitor Started(int threshold)
    {
        var check = new HealthCheck("probe", Interval, threshold, _ =>
        {
            _runs++;
            return _outcome is null ? Task.CompletedTask : Task.FromException(new IOException(_outcome));
        });
        var monitor = new HealthMonitor([check], _time, NullLogger.Instance);
        _monitors.Add(monitor);
        monitor.Start();
        _time.Advance(TimeSpan.Zero);
        return monitor;
    }
}
