using Berth.Core.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Http;

/// <summary>
/// Refuses a request whose target holds a <c>.</c> or <c>..</c> path segment, plain or percent-encoded
/// (<c>/v2/a/../b/manifests/x</c>, <c>/v2/%2e%2e/x/blobs/uploads/</c>), with 400 NAME_INVALID. Kestrel resolves such
/// segments before routing, so without this the client would be answered for a name it did not write, or get an
/// empty 404 when the path left <c>/v2/</c>; no registry name holds such a segment, so the name is what is invalid.
/// </summary>
internal sealed class DotSegmentGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return target is not null && HasDotSegment(target)
            ? throw new RegistryException(RegistryErrorCode.NameInvalid, "invalid repository name", "the path holds a '.' or '..' segment")
            : next(context);
    }

    /// <summary>Whether the path part of <paramref name="target"/> has a segment that is only dots (one or two), any of them written <c>%2e</c>.</summary>
    public static bool HasDotSegment(string target)
    {
        var path = target.AsSpan();
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }

        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.Length is > 0 and <= 6 && IsDots(segment))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDots(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        for (var i = 0; i < segment.Length; dots++)
        {
            if (segment[i] == '.')
            {
                i++;
            }
            else if (segment.Length - i >= 3 && segment[i] == '%' && segment[i + 1] == '2' && (segment[i + 2] is 'e' or 'E'))
            {
                i += 3;
            }
            else
            {
                return false;
            }
        }

        return dots is 1 or 2;
    }
}
