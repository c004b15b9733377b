namespace Berth.Health;

/// <summary>
/// One named check: what it probes, how often, and how many failures in a row make it count as failed. The probe
/// throws to fail; its exception's message is what <c>/debug/health</c> shows.
/// </summary>
internal sealed class HealthCheck(string name, TimeSpan interval, int threshold, Func<CancellationToken, Task> probe)
{
    public string Name { get; } = name;

    public TimeSpan Interval { get; } = interval;

    /// <summary>registry:2 counts a check failed once its failures in a row reach the threshold; 0 acts as 1.</summary>
    public int Threshold { get; } = Math.Max(threshold, 1);

    public Task ProbeAsync(CancellationToken cancellationToken) => probe(cancellationToken);
}
