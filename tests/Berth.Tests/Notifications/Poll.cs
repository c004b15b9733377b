using System.Diagnostics;

namespace Berth.Tests.Notifications;

internal static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing after a deadline rather than sleeping a guessed time.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (deadline ?? TimeSpan.FromSeconds(15)))
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }
}
