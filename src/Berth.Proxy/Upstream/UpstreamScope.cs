using System.Text.RegularExpressions;

namespace Berth.Proxy.Upstream;

/// <summary>The token scope a request to an upstream needs: pull access to the repository its path names.</summary>
internal static partial class UpstreamScope
{
    /// <returns><c>repository:&lt;name&gt;:pull</c>, or null for a path that names no repository (<c>/v2/</c>). The name ends at
    /// the last <c>/manifests/</c>, <c>/blobs/</c>, ... part, since a repository may have a part named so and a reference may not.</returns>
    public static string? For(Uri requestUri)
    {
        var match = RepositoryPath().Match(requestUri.AbsolutePath);
        return match.Success ? $"repository:{match.Groups[1].Value}:pull" : null;
    }

    [GeneratedRegex("^/v2/(.+)/(?:manifests|blobs|tags|referrers)/", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();
}
