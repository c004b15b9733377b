using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Logging;

/// <summary>
/// <c>log.formatter: json</c> and <c>logstash</c>: one JSON object per line, its fields flat beside the time, level and
/// message, in the shape registry:2's logrus formatters give (see <see cref="JsonLogShape"/>). Written with
/// Utf8JsonWriter, so it needs no reflection (Native AOT).
/// </summary>
internal sealed class JsonConsoleFormatter(JsonLogShape shape, TimeProvider time) : BerthConsoleFormatter(shape.FormatterName, time)
{
    // Logs are read by log shippers and terminals, never embedded in HTML: escaping '<', '&' or '+' as \u003C would
    // only make paths harder to read. Quotes, backslashes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = MessageOf(logEntry);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString(shape.TimeKey, Timestamp());
            if (shape.Version is { } version)
            {
                json.WriteString("@version", version);
            }

            json.WriteString("level", LogLevelNames.Of(logEntry.LogLevel));
            json.WriteString(shape.MessageKey, message);
            json.WriteString("category", logEntry.Category);
            var field = (json, shape);
            LogEntryFields.ForEachScopeField(scopeProvider, WriteField, field);
            LogEntryFields.ForEachStateField(logEntry.State, WriteField, field);
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("error", exception.ToString());
            }

            json.WriteEndObject();
        }

        WriteLine(buffer.WrittenSpan, textWriter);
    }

    private static void WriteField((Utf8JsonWriter Json, JsonLogShape Shape) target, string key, object? value)
    {
        var (json, shape) = target;
        // logrus keeps a field that collides with its own keys under "fields.<key>"; so do both shapes.
        json.WritePropertyName(shape.IsReserved(key) ? "fields." + key : key);
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or uint or ushort or sbyte:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case ByteCount { Value: { } bytes }:
                json.WriteNumberValue(bytes);
                break;
            case ByteCount:
                json.WriteNullValue();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteLine(ReadOnlySpan<byte> utf8, TextWriter textWriter)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length) + 1);
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, chars);
            chars[count] = '\n';
            textWriter.Write(chars.AsSpan(0, count + 1));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
