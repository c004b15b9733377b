using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Logging;

/// <summary>
/// <c>log.formatter: logfmt</c>: one line per entry, <c>time=... level=info msg="..." key=value</c>, with the
/// level names registry:2 (logrus) writes, so log pipelines built for it keep working.
/// </summary>
internal sealed class LogfmtConsoleFormatter(TimeProvider time) : BerthConsoleFormatter(FormatterName, time)
{
    public const string FormatterName = "logfmt";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = MessageOf(logEntry);
        var line = new StringBuilder(128);
        KeyValueText.AppendPair(line, "time", Timestamp());
        KeyValueText.AppendPair(line, "level", LogLevelNames.Of(logEntry.LogLevel));
        KeyValueText.AppendPair(line, "msg", message);
        KeyValueText.AppendPair(line, "category", logEntry.Category);
        LogEntryFields.ForEachScopeField(scopeProvider, KeyValueText.AppendPair, line);
        LogEntryFields.ForEachStateField(logEntry.State, KeyValueText.AppendPair, line);
        if (logEntry.Exception is { } exception)
        {
            KeyValueText.AppendPair(line, "error", exception.ToString());
        }

        textWriter.Write(line.Append('\n'));
    }
}
