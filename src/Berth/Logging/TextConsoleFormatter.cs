using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Logging;

/// <summary>
/// <c>log.formatter: text</c>, the default: one short line a person reads first, <c>TIME LEVEL MESSAGE key=value...</c>.
/// The message already holds the entry's properties, so only what it lacks follows as fields: the request id, the
/// <c>log.fields</c>, the error. Berth's own entries carry no category (their messages say what they are about); the
/// framework's carry a short one (<c>category=Server.Kestrel</c>), because "Application started" alone does not say who
/// speaks. No event ids, no scope dumps.
/// </summary>
internal sealed class TextConsoleFormatter(TimeProvider time) : BerthConsoleFormatter(FormatterName, time)
{
    public const string FormatterName = "berth-text";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = MessageOf(logEntry);
        var line = new StringBuilder(160);
        line.Append(Timestamp()).Append(' ').Append(LogLevelNames.Of(logEntry.LogLevel)).Append(' ');
        // Unquoted for reading, but a newline or other control character in it (from a request path) is escaped.
        KeyValueText.AppendEscaped(line, message, escapeQuotes: false);
        LogEntryFields.ForEachScopeField(scopeProvider, KeyValueText.AppendPair, line);
        if (ShortCategory(logEntry.Category) is { } category)
        {
            KeyValueText.AppendPair(line, "category", category);
        }

        if (logEntry.Exception is { } exception)
        {
            KeyValueText.AppendPair(line, "error", exception.ToString());
        }

        textWriter.Write(line.Append('\n'));
    }

    /// <summary>Null for Berth's own categories; the framework's without their common <c>Microsoft.</c> prefixes.</summary>
    internal static string? ShortCategory(string category)
    {
        if (category.StartsWith("Berth", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var prefix in (ReadOnlySpan<string>)["Microsoft.AspNetCore.", "Microsoft.Extensions.", "Microsoft."])
        {
            if (category.StartsWith(prefix, StringComparison.Ordinal))
            {
                return category[prefix.Length..];
            }
        }

        return category;
    }
}
