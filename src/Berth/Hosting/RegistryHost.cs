using Berth.Configuration;

namespace Berth.Hosting;

/// <summary>
/// STUB for the config-cli branch: the real host (Kestrel, endpoints, storage) is written on main and replaces
/// this file on merge. It only honours the contract the CLI relies on.
/// </summary>
internal static class RegistryHost
{
    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled (SIGTERM, Ctrl+C); returns the exit code.</summary>
    /// <exception cref="ConfigurationException">The configuration cannot be served (e.g. an unwritable storage root).</exception>
    public static async Task<int> RunAsync(RegistryConfiguration configuration, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(warnings);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the normal way out.
        }

        return 0;
    }
}
