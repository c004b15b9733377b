using System.Diagnostics.CodeAnalysis;

namespace Berth.Core;

/// <summary>
/// An upload session id: a lowercase UUID as registry:2 makes them. Anything else names no upload, which also
/// keeps ids safe to use as a folder name.
/// </summary>
public readonly record struct UploadId
{
    private UploadId(string value) => Value = value;

    public string Value { get; }

    public static UploadId New() => new(Guid.NewGuid().ToString("D"));

    public static bool TryParse([NotNullWhen(true)] string? text, out UploadId id)
    {
        id = default;
        if (text is null || text.Length != 36 || !Guid.TryParseExact(text, "D", out _) || text.Any(char.IsAsciiLetterUpper))
        {
            return false;
        }

        id = new UploadId(text);
        return true;
    }

    public override string ToString() => Value;
}
