namespace Berth.Storage.Drivers;

/// <summary>
/// A path inside a storage driver's root, built only from checked segments: never absolute, never empty segments,
/// never <c>.</c> or <c>..</c>, no separators or NUL inside a segment. Whatever a request says, a path made of
/// these cannot point outside the root.
/// </summary>
public readonly record struct StoragePath
{
    public const int MaxSegmentLength = 255;

    private readonly string? _value;

    private StoragePath(string value) => _value = value;

    /// <summary>The root itself.</summary>
    public static StoragePath Root => default;

    /// <summary>Segments joined by '/', no leading slash; empty for the root.</summary>
    public string Value => _value ?? string.Empty;

    public bool IsRoot => Value.Length == 0;

    public string Name => Value[(Value.LastIndexOf('/') + 1)..];

    public StoragePath Parent
    {
        get
        {
            var slash = Value.LastIndexOf('/');
            return slash < 0 ? Root : new StoragePath(Value[..slash]);
        }
    }

    public StoragePath Append(string segment)
    {
        if (!IsValidSegment(segment))
        {
            throw new ArgumentException($"invalid storage path segment '{segment}'", nameof(segment));
        }

        return new StoragePath(IsRoot ? segment : Value + "/" + segment);
    }

    public StoragePath Append(params ReadOnlySpan<string> segments)
    {
        var path = this;
        foreach (var segment in segments)
        {
            path = path.Append(segment);
        }

        return path;
    }

    /// <summary>Parses a '/'-separated relative path, checking every segment.</summary>
    public static StoragePath Parse(string relative) => Root.Append(relative.Split('/'));

    public static bool IsValidSegment(string segment) =>
        segment.Length is > 0 and <= MaxSegmentLength
        && segment is not "." and not ".."
        && segment.IndexOfAny(['/', '\\', '\0']) < 0;

    public override string ToString() => "/" + Value;
}
