using System.Globalization;

namespace Berth.Logging;

/// <summary>
/// A logged size that may be unknown (a response streamed without a Content-Length): <c>-</c> in text, as the
/// Combined Log Format writes it, and a number or null in JSON.
/// </summary>
internal readonly record struct ByteCount(long? Value)
{
    public override string ToString() => Value is { } value ? value.ToString(CultureInfo.InvariantCulture) : "-";
}
