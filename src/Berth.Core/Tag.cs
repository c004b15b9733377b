using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Core;

/// <summary>A tag: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>. It can never be <c>.</c>, <c>..</c> or hold a slash.</summary>
public readonly partial record struct Tag
{
    private Tag(string value) => Value = value;

    public string Value { get; }

    public static Tag Parse(string? text) =>
        TryParse(text, out var tag)
            ? tag
            : throw new RegistryException(RegistryErrorCode.TagInvalid, "invalid tag", text, status: 400);

    public static bool TryParse([NotNullWhen(true)] string? text, out Tag tag)
    {
        tag = default;
        if (text is null || !Pattern().IsMatch(text))
        {
            return false;
        }

        tag = new Tag(text);
        return true;
    }

    public override string ToString() => Value;

    // \z, not $: in .NET $ also matches before a final newline, which would let "latest\n" through.
    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
