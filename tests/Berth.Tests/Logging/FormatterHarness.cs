using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Tests.Logging;

/// <summary>Writes one entry through a console formatter, at a fixed time, and returns what it printed.</summary>
internal static class FormatterHarness
{
    public static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static string Write(ConsoleFormatter formatter, LogLevel level, string message, List<KeyValuePair<string, object?>> state,
        IExternalScopeProvider? scopes = null, Exception? exception = null, string category = "Berth.Test")
    {
        using var writer = new StringWriter();
        var entry = new LogEntry<List<KeyValuePair<string, object?>>>(level, category, new EventId(1), state, exception, (_, _) => message);
        formatter.Write(entry, scopes, writer);
        return writer.ToString();
    }

    public sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
