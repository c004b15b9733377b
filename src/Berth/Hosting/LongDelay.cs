namespace Berth.Hosting;

/// <summary>Waits of any length for the maintenance loops: Task.Delay takes no more than about 49 days at once.</summary>
internal static class LongDelay
{
    /// <summary>Waits <paramref name="delay"/> in steps of at most a day.</summary>
    public static async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken stopping)
    {
        for (var left = delay; left > TimeSpan.Zero; left -= TimeSpan.FromDays(1))
        {
            await Task.Delay(left < TimeSpan.FromDays(1) ? left : TimeSpan.FromDays(1), time, stopping);
        }
    }
}
