namespace Berth.Auth.Token;

/// <summary>
/// The key id Docker's libtrust gives a public key, which registry:2 matches against a token's <c>kid</c>: the
/// SHA-256 of the DER SubjectPublicKeyInfo, its first 240 bits in unpadded base32 (48 characters), in 12 groups of
/// 4 joined by ':' (<c>ABCD:EFGH:...</c>).
/// </summary>
internal static class LibtrustKeyId
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string FromSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(subjectPublicKeyInfo, digest);
        var encoded = Base32(digest[..30]);
        return string.Join(':', encoded.Chunk(4).Select(group => new string(group)));
    }

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        // 30 bytes are exactly 48 five-bit groups: no padding to strip.
        var chars = new char[bytes.Length * 8 / 5];
        int buffer = 0, bits = 0, next = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[next++] = Base32Alphabet[(buffer >> bits) & 31];
            }
        }

        return new string(chars);
    }
}
