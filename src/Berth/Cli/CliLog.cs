using Microsoft.Extensions.Logging;

namespace Berth.Cli;

internal static partial class CliLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Configuration loaded from {Source}")]
    public static partial void ConfigurationLoaded(ILogger logger, string source);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Configuration: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);
}
