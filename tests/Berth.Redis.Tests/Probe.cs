using Berth.Core.Errors;

namespace Berth.Redis.Tests;

/// <summary>The health probe as a condition to wait for.</summary>
internal static class Probe
{
    /// <summary>True when <see cref="RedisConnection.PingAsync"/> passes, false when it reports Redis unavailable.</summary>
    public static async Task<bool> PassesAsync(RedisConnection connection)
    {
        try
        {
            await connection.PingAsync();
            return true;
        }
        catch (ServiceUnavailableException)
        {
            return false;
        }
    }
}
