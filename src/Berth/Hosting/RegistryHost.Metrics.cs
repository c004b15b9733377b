using Berth.Auth;
using Berth.Configuration;
using Berth.Metrics;
using Berth.Storage.Drivers;

namespace Berth.Hosting;

/// <summary>Where metrics attach: decorators, each applied only when metrics are on, so that off means unchanged.</summary>
internal static partial class RegistryHost
{
    /// <summary>The driver, timed per action (registry:2's <c>registry_storage_action_seconds</c>).</summary>
    private static IStorageDriver Metered(IStorageDriver driver, StorageSettings storage, BerthMetrics? metrics) =>
        metrics is null ? driver : new MeteredStorageDriver(driver, storage.DriverName, metrics);

    /// <summary>The authorizer, its decisions counted; an open registry has none and counts nothing.</summary>
    private static IRegistryAuthorizer? Metered(IRegistryAuthorizer? authorizer, BerthMetrics? metrics) =>
        authorizer is null || metrics is null ? authorizer : new MeteredAuthorizer(authorizer, metrics);

    [LoggerMessage(Level = LogLevel.Information, Message = "metrics served on {Addr} at {Path} (http.debug.prometheus)")]
    private static partial void LogMetrics(ILogger logger, string addr, string path);
}
