using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Logging;

/// <summary>What every Berth format shares: its clock (a test's fixed one) and how an entry becomes its message.</summary>
internal abstract class BerthConsoleFormatter(string name, TimeProvider time) : ConsoleFormatter(name)
{
    protected string Timestamp() => LogTime.Format(time.GetUtcNow());

    protected static string MessageOf<TState>(in LogEntry<TState> logEntry) =>
        logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? logEntry.State?.ToString() ?? string.Empty;
}
