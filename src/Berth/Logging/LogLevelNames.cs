using Microsoft.Extensions.Logging;

namespace Berth.Logging;

/// <summary>
/// The level names registry:2 writes (logrus: <c>warning</c>, <c>fatal</c>), used by every Berth format so that log
/// pipelines built for registry:2 match on the same words.
/// </summary>
internal static class LogLevelNames
{
    public static string Of(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };
}
