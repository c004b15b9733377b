using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Core;

/// <summary>
/// A repository name such as <c>labs/nginx</c>: path components of lowercase alphanumerics joined by
/// <c>.</c>, <c>_</c>, <c>__</c> or dashes, at most 255 characters in all (the registry:2 limit).
/// </summary>
public readonly partial record struct RepositoryName
{
    public const int MaxLength = 255;

    private RepositoryName(string value) => Value = value;

    public string Value { get; }

    public static RepositoryName Parse(string? text) =>
        TryParse(text, out var name)
            ? name
            : throw new RegistryException(RegistryErrorCode.NameInvalid, "invalid repository name", text);

    public static bool TryParse([NotNullWhen(true)] string? text, out RepositoryName name)
    {
        name = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !Pattern().IsMatch(text))
        {
            return false;
        }

        name = new RepositoryName(text);
        return true;
    }

    public override string ToString() => Value;

    // \z, not $: in .NET $ also matches before a final newline, which would let "name\n" through.
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
