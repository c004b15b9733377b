using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Berth.Core.Errors;

namespace Berth.Core;

/// <summary>
/// A content digest such as <c>sha256:&lt;64 hex&gt;</c>. Only algorithms Berth can verify are accepted
/// (sha256, sha512), with their exact lowercase-hex length, so a parsed digest is always safe to use as a path.
/// </summary>
public readonly record struct Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    public HashAlgorithmName HashAlgorithm => Algorithm == Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    public static Digest Parse(string? text) =>
        TryParse(text, out var digest)
            ? digest
            : throw new RegistryException(RegistryErrorCode.DigestInvalid, "invalid digest", text);

    public static bool TryParse([NotNullWhen(true)] string? text, out Digest digest)
    {
        digest = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var expectedLength = algorithm switch
        {
            Sha256 => 64,
            Sha512 => 128,
            _ => -1,
        };
        if (hex.Length != expectedLength || !IsLowerHex(hex))
        {
            return false;
        }

        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>The sha256 digest of <paramref name="content"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content) =>
        new(Sha256, Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>The digest of <paramref name="content"/> with this digest's algorithm.</summary>
    public Digest ComputeSameAlgorithm(ReadOnlySpan<byte> content) =>
        Algorithm == Sha512 ? new(Sha512, Convert.ToHexStringLower(SHA512.HashData(content))) : Compute(content);

    /// <summary>Builds a digest from a finished hash of <paramref name="algorithm"/>.</summary>
    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) => new(algorithm, Convert.ToHexStringLower(hash));

    public override string ToString() => Algorithm + ":" + Hex;

    private static bool IsLowerHex(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
