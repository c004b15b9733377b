using System.Text.RegularExpressions;

namespace Berth.Core.Manifests;

/// <summary>
/// Which layer URLs a pushed manifest may carry (<c>validation.manifests.urls</c>). As in registry:3 a URL must be
/// http or https without a fragment whatever the lists say; then it must match an <c>allow</c> pattern (when there is
/// an allow list) and no <c>deny</c> pattern. Patterns match anywhere in the URL unless anchored, as Go's do.
/// </summary>
public sealed class ManifestUrlPolicy
{
    private readonly IReadOnlyList<Regex>? _allow;
    private readonly IReadOnlyList<Regex> _deny;

    /// <param name="allow">The patterns one of which every URL must match; null lets any http(s) URL through, and
    /// an empty list none.</param>
    /// <param name="deny">The patterns no URL may match. Compile them non-backtracking: URLs come from clients.</param>
    public ManifestUrlPolicy(IReadOnlyList<Regex>? allow, IReadOnlyList<Regex> deny)
    {
        _allow = allow;
        _deny = deny;
    }

    /// <summary>registry:3's default (validation on, neither list set): a manifest with layer URLs is refused.</summary>
    public static ManifestUrlPolicy AllowNone { get; } = new([], []);

    /// <summary>With validation disabled: any http or https URL.</summary>
    public static ManifestUrlPolicy AllowAny { get; } = new(null, []);

    /// <returns>Why <paramref name="url"/> is refused, or null when it is accepted.</returns>
    public string? Refusal(string url)
    {
        if (!IsHttpWithoutFragment(url))
        {
            return "only http and https URLs without a #fragment are accepted";
        }

        if (_allow is { Count: 0 })
        {
            return "this registry accepts no layer URLs (validation.manifests.urls.allow is not set)";
        }

        if (_allow is not null && !_allow.Any(pattern => pattern.IsMatch(url)))
        {
            return "it matches no pattern of validation.manifests.urls.allow";
        }

        return _deny.FirstOrDefault(pattern => pattern.IsMatch(url)) is { } denied
            ? $"it matches the validation.manifests.urls.deny pattern {denied}"
            : null;
    }

    private static bool IsHttpWithoutFragment(string url)
    {
        // Go's url.Parse, which registry:3 uses, keeps an empty fragment ("...#") empty, so only text after # counts.
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0 && hash < url.Length - 1)
        {
            return false;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }
}
