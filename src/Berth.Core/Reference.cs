using Berth.Core.Errors;

namespace Berth.Core;

/// <summary>What follows <c>/manifests/</c>: a tag or a digest, never both.</summary>
public readonly record struct Reference
{
    private Reference(Tag? tag, Digest? digest)
    {
        Tag = tag;
        Digest = digest;
    }

    public Tag? Tag { get; }

    public Digest? Digest { get; }

    public bool IsDigest => Digest is not null;

    public static Reference Of(Tag tag) => new(tag, null);

    public static Reference Of(Digest digest) => new(null, digest);

    /// <summary>A reference with a colon is a digest (DIGEST_INVALID if malformed); anything else must be a valid tag (TAG_INVALID).</summary>
    public static Reference Parse(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return Of(Core.Digest.Parse(text));
        }

        return Of(Core.Tag.Parse(text));
    }

    /// <summary>
    /// For reads and deletes: a malformed digest is still refused (DIGEST_INVALID), but a string that cannot be a
    /// tag simply names nothing, so the caller answers 404 as the OCI conformance suite expects.
    /// </summary>
    /// <returns>The reference, or null for a string that is no valid tag.</returns>
    public static Reference? ParseForLookup(string text) =>
        text.Contains(':', StringComparison.Ordinal) ? Of(Core.Digest.Parse(text))
        : Core.Tag.TryParse(text, out var tag) ? Of(tag)
        : null;

    public override string ToString() => Digest?.ToString() ?? Tag!.Value.Value;
}
