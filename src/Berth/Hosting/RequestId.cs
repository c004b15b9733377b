using Microsoft.Extensions.Primitives;

namespace Berth.Hosting;

/// <summary>
/// The id of a request, echoed in <c>X-Request-Id</c> and logged as <c>request_id</c>. A proxy's id is kept so that its
/// logs and Berth's can be joined; one that could garble a log line or a header (too long, not visible ASCII) is
/// replaced by a fresh one.
/// </summary>
internal static class RequestId
{
    /// <summary>Long enough for a UUID, a W3C trace id or a proxy's own composite ids.</summary>
    public const int MaxLength = 128;

    /// <summary>The incoming id when it is acceptable, else a new one (32 hex digits, a random UUID).</summary>
    public static string For(StringValues incoming) =>
        incoming.Count == 1 && incoming[0] is { } id && IsAcceptable(id) ? id : Guid.NewGuid().ToString("N");

    public static bool IsAcceptable(string id)
    {
        if (id.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            // Visible ASCII only: no space, so the id is one token in a log line, and nothing a header cannot carry.
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
