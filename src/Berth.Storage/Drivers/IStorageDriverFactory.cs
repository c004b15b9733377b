namespace Berth.Storage.Drivers;

/// <summary>
/// The bound settings of an object-store driver (S3, Azure), which make the driver. The host knows the settings'
/// type only through this, so each SDK stays inside its driver's project.
/// </summary>
public interface IStorageDriverFactory
{
    /// <summary>The driver's name in logs, metrics and health checks, as registry:2 names it (<c>s3</c>, <c>azure</c>).</summary>
    string DriverName { get; }

    /// <summary>Where the registry lives, for the start-up log line: the bucket or container and its root, no secrets.</summary>
    string Location { get; }

    IStorageDriver Create();
}
