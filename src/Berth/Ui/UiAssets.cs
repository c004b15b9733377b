using System.Collections.Frozen;

namespace Berth.Ui;

/// <summary>
/// The page's script, style sheet and icon, embedded in the executable (so the Native AOT image serves them too, and
/// nothing is fetched from another host). Revalidated by ETag, so an upgraded server is never shown with an old script.
/// </summary>
internal sealed class UiAssets
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
        ["favicon.svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Read at the first request for the page: a server nobody looks at holds none of it.</summary>
    private readonly Lazy<FrozenDictionary<string, Asset>> _assets = new(() => ContentTypes.ToFrozenDictionary(
        pair => pair.Key, pair => Load(pair.Key, pair.Value), StringComparer.Ordinal));

    /// <summary>A short hash of the script and style, put in their URLs so a browser fetches new ones after an upgrade.</summary>
    public string Version => _assets.Value["app.js"].ETag[1..9] + _assets.Value["app.css"].ETag[1..9];

    public async Task ServeAsync(HttpContext context, string name)
    {
        var response = context.Response;
        if (!_assets.Value.TryGetValue(name, out var asset))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.ContentType = asset.ContentType;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentLength = asset.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
        }
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(UiAssets).Assembly.GetManifestResourceStream("ui/" + name)
            ?? throw new InvalidOperationException($"the page's asset {name} is not embedded in this build");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return new Asset(bytes, contentType, "\"" + Fingerprint(bytes).ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "\"");
    }

    /// <summary>
    /// FNV-1a over the bytes: the same on every node and after every restart, which is all an ETag of embedded files
    /// needs. Not SHA-256: that would load the TLS library into a server that serves no TLS, several MiB of it.
    /// </summary>
    private static ulong Fingerprint(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in bytes)
        {
            hash = (hash ^ value) * 1099511628211UL;
        }

        return hash;
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
