using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Logging;

/// <summary>
/// <c>log.formatter: logfmt</c>: one line per entry, <c>time=... level=info msg="..." key=value</c>, with the
/// level names registry:2 (logrus) writes, so log pipelines built for it keep working.
/// </summary>
internal sealed class LogfmtConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "logfmt";

    private const string OriginalFormat = "{OriginalFormat}";
    private readonly TimeProvider _time;

    public LogfmtConsoleFormatter()
        : this(TimeProvider.System)
    {
    }

    internal LogfmtConsoleFormatter(TimeProvider time)
        : base(FormatterName)
    {
        _time = time;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? logEntry.State?.ToString() ?? string.Empty;
        var line = new StringBuilder(128);
        Append(line, "time", _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        Append(line, "level", LevelName(logEntry.LogLevel));
        Append(line, "msg", message);
        Append(line, "category", logEntry.Category);
        scopeProvider?.ForEachScope(static (scope, builder) => AppendScope(builder, scope), line);
        if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> properties)
        {
            AppendPairs(line, properties);
        }

        if (logEntry.Exception is { } exception)
        {
            Append(line, "error", exception.ToString());
        }

        textWriter.Write(line.Append('\n'));
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };

    private static void AppendScope(StringBuilder line, object? scope)
    {
        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            AppendPairs(line, pairs);
        }
        else if (scope is not null)
        {
            Append(line, "scope", scope.ToString());
        }
    }

    private static void AppendPairs(StringBuilder line, IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            if (key != OriginalFormat)
            {
                Append(line, key, Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }
    }

    private static void Append(StringBuilder line, string key, string? value)
    {
        if (line.Length > 0)
        {
            line.Append(' ');
        }

        foreach (var c in key)
        {
            line.Append(c is ' ' or '=' or '"' || char.IsControl(c) ? '_' : c);
        }

        line.Append('=');
        AppendValue(line, value ?? string.Empty);
    }

    private static void AppendValue(StringBuilder line, string value)
    {
        if (value.Length > 0 && !value.Any(c => c is ' ' or '=' or '"' or '\\' || char.IsControl(c)))
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => line.Append("\\\""),
                '\\' => line.Append("\\\\"),
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                '\t' => line.Append("\\t"),
                _ when char.IsControl(c) => line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => line.Append(c),
            };
        }

        line.Append('"');
    }
}
