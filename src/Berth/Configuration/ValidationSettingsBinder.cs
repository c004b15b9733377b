using System.Text.RegularExpressions;
using Berth.Core.Manifests;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>validation.*</c> as registry:3 reads it: <c>disabled</c> (and registry:2's <c>enabled</c>),
/// <c>manifests.urls.allow</c>/<c>deny</c> and <c>manifests.indexes.platforms</c>/<c>platformlist</c>. The URL
/// patterns are compiled here, once, so a bad one stops the start instead of failing pushes.
/// </summary>
internal static class ValidationSettingsBinder
{
    private static readonly string[] PlatformChoices = ["all", "none", "list"];

    public static ManifestValidationOptions Bind(ConfigSection validation)
    {
        var manifests = validation.GetSection("manifests");
        var urls = BindUrls(manifests.GetSection("urls"));
        var indexChildren = BindIndexes(manifests.GetSection("indexes"));
        manifests.WarnUnknownKeys();

        // registry:3 turns validation off only for disabled: true, and its older enabled: true overrides even that;
        // enabled: false alone never turned anything off, in registry:2 either.
        var enabled = validation.GetBool("enabled", fallback: false);
        var disabled = validation.GetBool("disabled", fallback: false);
        if (validation.Has("enabled") && !enabled && !disabled)
        {
            validation.Warn("enabled", "false does not turn validation off (registry:3 reads only enabled: true); use disabled: true");
        }

        validation.WarnUnknownKeys();
        if (disabled && !enabled)
        {
            if (validation.Has("manifests"))
            {
                validation.Warn("manifests", "ignored because validation.disabled is true: any http(s) layer URL is accepted and index entries need not exist");
            }

            return ManifestValidationOptions.Disabled;
        }

        return new ManifestValidationOptions { Urls = urls, IndexChildren = indexChildren };
    }

    private static ManifestUrlPolicy BindUrls(ConfigSection urls)
    {
        var allow = Compile(urls, "allow");
        var deny = Compile(urls, "deny");
        urls.WarnUnknownKeys();

        // As registry:3: neither list means no URL at all; a deny list alone lets every other http(s) URL through.
        return allow.Count == 0 && deny.Count == 0
            ? ManifestUrlPolicy.AllowNone
            : new ManifestUrlPolicy(allow.Count == 0 ? null : allow, deny);
    }

    private static List<Regex> Compile(ConfigSection urls, string key)
    {
        var patterns = urls.GetStringList(key) ?? [];
        return patterns.Select((pattern, i) => Compile($"{urls.KeyPath(key)}.{i}", pattern)).ToList();
    }

    private static Regex Compile(string key, string pattern)
    {
        try
        {
            // Non-backtracking: matching time grows linearly with the URL, so no pushed URL can stall a request.
            // It takes the RE2 subset registry:3's Go patterns are written in.
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(key, $"not a regular expression: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            throw new ConfigurationException(key, $"'{pattern}' cannot be matched without backtracking (no backreferences or lookarounds, as in Go's RE2 syntax): {e.Message}");
        }
    }

    private static IndexChildPolicy BindIndexes(ConfigSection indexes)
    {
        var choice = indexes.GetChoice("platforms", PlatformChoices) ?? 0;
        var platforms = indexes.GetSectionList("platformlist").Select(ReadPlatform).ToList();
        indexes.WarnUnknownKeys();
        switch (PlatformChoices[choice])
        {
            case "none":
                WarnPlatformListIgnored(indexes, platforms);
                return IndexChildPolicy.None;
            case "list":
                if (platforms.Count == 0)
                {
                    indexes.Warn("platformlist", "empty, so every index entry must exist (as with platforms: all), as in registry:3");
                }

                return IndexChildPolicy.ForPlatforms(platforms);
            default:
                WarnPlatformListIgnored(indexes, platforms);
                return IndexChildPolicy.All;
        }
    }

    private static void WarnPlatformListIgnored(ConfigSection indexes, List<Platform> platforms)
    {
        if (platforms.Count > 0)
        {
            indexes.Warn("platformlist", "ignored unless platforms is list");
        }
    }

    private static Platform ReadPlatform(ConfigSection platform)
    {
        var os = platform.GetString("os");
        var architecture = platform.GetString("architecture");
        platform.WarnUnknownKeys();
        if (string.IsNullOrEmpty(os) || string.IsNullOrEmpty(architecture))
        {
            throw new ConfigurationException(platform.Path, "a platform needs both os and architecture, e.g. {os: linux, architecture: amd64}");
        }

        return new Platform(os, architecture);
    }
}
