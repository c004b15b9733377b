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

    /// <summary>A reference with a colon is a digest; anything else must be a valid tag.</summary>
    public static Reference Parse(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return Of(Core.Digest.Parse(text));
        }

        return Core.Tag.TryParse(text, out var tag)
            ? Of(tag)
            : throw new RegistryException(RegistryErrorCode.ManifestInvalid, "invalid tag or digest", text, status: 400);
    }

    public override string ToString() => Digest?.ToString() ?? Tag!.Value.Value;
}
