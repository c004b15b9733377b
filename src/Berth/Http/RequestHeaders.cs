using System.Globalization;
using Berth.Core.Errors;
using Berth.Core.Stores;

namespace Berth.Http;

/// <summary>Parses the request headers and query values the registry protocol uses; bad values become 4xx errors.</summary>
internal static class RequestHeaders
{
    /// <summary>
    /// A chunk's <c>Content-Range</c>: <c>start-end</c> (inclusive) as the OCI spec and docker send it; the HTTP
    /// form <c>bytes start-end/total</c> is accepted too.
    /// </summary>
    public static ChunkRange? ParseContentRange(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var text = header.Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..].TrimStart(' ', '=');
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            text = text[..slash];
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !TryParseOffset(text[..dash], out var start) || !TryParseOffset(text[(dash + 1)..], out var end) || end < start)
        {
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "invalid Content-Range", header, status: 416);
        }

        return new ChunkRange(start, end);
    }

    /// <summary>
    /// A blob GET's single <c>Range: bytes=...</c> against a blob of <paramref name="size"/> bytes.
    /// </summary>
    /// <returns>The first byte and count to send, or null to send everything.</returns>
    public static (long Start, long Length)? ParseRange(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var text = header.Trim();
        if (!text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || text.Contains(',', StringComparison.Ordinal))
        {
            throw Unsatisfiable(header);
        }

        var spec = text[6..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            throw Unsatisfiable(header);
        }

        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.Length == 0)
        {
            // bytes=-N: the last N bytes.
            if (!TryParseOffset(last, out var suffix) || suffix == 0 || size == 0)
            {
                throw Unsatisfiable(header);
            }

            var length = Math.Min(suffix, size);
            return (size - length, length);
        }

        if (!TryParseOffset(first, out var start) || start >= size)
        {
            throw Unsatisfiable(header);
        }

        long end = size - 1;
        if (last.Length > 0)
        {
            if (!TryParseOffset(last, out end) || end < start)
            {
                throw Unsatisfiable(header);
            }

            end = Math.Min(end, size - 1);
        }

        return (start, end - start + 1);
    }

    /// <summary>The <c>n</c> of a listing: absent is null; anything but a non-negative integer is refused.</summary>
    public static int? ParsePageSize(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new RegistryException(RegistryErrorCode.PaginationNumberInvalid, "invalid number of results requested", value);
    }

    private static bool TryParseOffset(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static RegistryException Unsatisfiable(string header) =>
        new(RegistryErrorCode.RangeInvalid, "requested range not satisfiable", header, status: 416);
}
