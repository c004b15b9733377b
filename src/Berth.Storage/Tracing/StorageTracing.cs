using System.Diagnostics;

namespace Berth.Storage.Tracing;

/// <summary>
/// The activity source of storage operations. It is the BCL's <see cref="ActivitySource"/>, so this project needs no
/// telemetry package: the host subscribes to <see cref="SourceName"/> when tracing is on.
/// </summary>
public static class StorageTracing
{
    public const string SourceName = "Berth.Storage";

    /// <summary>Which driver served the operation (<c>filesystem</c>, <c>inmemory</c>).</summary>
    public const string DriverAttribute = "berth.storage.driver";

    /// <summary>The path inside the storage root (the source path for a move).</summary>
    public const string PathAttribute = "berth.storage.path";

    /// <summary>The destination of a move.</summary>
    public const string DestinationAttribute = "berth.storage.destination";

    internal static readonly ActivitySource Source = new(SourceName);
}
