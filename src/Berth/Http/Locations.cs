using Berth.Configuration;

namespace Berth.Http;

/// <summary>
/// Builds Location headers as registry:2 does: absolute URLs from <c>http.host</c> or the request's own scheme
/// and host, or bare paths with <c>http.relativeurls</c>. Every path is under <c>http.prefix</c> when one is set.
/// </summary>
internal sealed class Locations(HttpSettings settings)
{
    /// <summary><paramref name="path"/> (<c>/v2/...</c>) as the client must ask for it: under the configured prefix.</summary>
    public string PathOf(string path) => settings.Prefix + path;

    public string For(HttpContext context, string path)
    {
        path = PathOf(path);
        if (settings.RelativeUrls)
        {
            return path;
        }

        if (settings.Host is { } host)
        {
            return host.GetLeftPart(UriPartial.Authority) + path;
        }

        var request = context.Request;
        return request.Host.HasValue ? $"{request.Scheme}://{request.Host.Value}{path}" : path;
    }
}
