using System.Buffers.Binary;
using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// A digest as the mark phase keeps it for every blob in use: a sha256 digest is its 32 bytes in four fields, with no
/// object behind it. A <see cref="Digest"/> holds two strings (about 200 bytes with the 64-character hex); on a store of
/// 100,000 blobs that is 20 MB of strings for the marked set alone, and again for every manifest's list of references.
/// Digests of another algorithm (sha512, rare) keep their text in one field.
/// </summary>
internal readonly struct DigestKey : IEquatable<DigestKey>, IComparable<DigestKey>
{
    private const int Sha256Bytes = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    /// <summary>Null for sha256; the digest's text for any other algorithm.</summary>
    private readonly string? _other;

    private DigestKey(ulong a, ulong b, ulong c, ulong d, string? other)
    {
        (_a, _b, _c, _d, _other) = (a, b, c, d, other);
    }

    public static DigestKey From(Digest digest)
    {
        if (digest.Algorithm != Digest.Sha256)
        {
            return new DigestKey(0, 0, 0, 0, digest.ToString());
        }

        // A parsed digest is lowercase hex of the exact length, so this cannot fail.
        Span<byte> bytes = stackalloc byte[Sha256Bytes];
        Convert.FromHexString(digest.Hex, bytes, out _, out _);
        // Big-endian, so that comparing the fields in order compares the bytes, and so the hex text, in order.
        return new DigestKey(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]), null);
    }

    public Digest ToDigest()
    {
        if (_other is not null)
        {
            return Digest.Parse(_other);
        }

        Span<byte> bytes = stackalloc byte[Sha256Bytes];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _a);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], _d);
        return Digest.FromHash(Digest.Sha256, bytes);
    }

    public bool Equals(DigestKey other) =>
        _a == other._a && _b == other._b && _c == other._c && _d == other._d && string.Equals(_other, other._other, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DigestKey other && Equals(other);

    /// <summary>The order of the digests' text (<c>sha256:…</c> before <c>sha512:…</c>), as registry:2 lists them.</summary>
    public int CompareTo(DigestKey other)
    {
        if (_other is not null || other._other is not null)
        {
            return string.CompareOrdinal(_other ?? Digest.Sha256 + ":", other._other ?? Digest.Sha256 + ":");
        }

        var order = _a.CompareTo(other._a);
        order = order != 0 ? order : _b.CompareTo(other._b);
        order = order != 0 ? order : _c.CompareTo(other._c);
        return order != 0 ? order : _d.CompareTo(other._d);
    }

    /// <summary>
    /// Two fields through <see cref="HashCode"/>, whose seed differs per process: the bits of a real digest are random
    /// already, but a stored manifest may name made-up digests chosen to collide in a fixed hash.
    /// </summary>
    public override int GetHashCode() => _other is null ? HashCode.Combine(_a, _b) : StringComparer.Ordinal.GetHashCode(_other);

    public override string ToString() => ToDigest().ToString();

    public static bool operator ==(DigestKey left, DigestKey right) => left.Equals(right);

    public static bool operator !=(DigestKey left, DigestKey right) => !left.Equals(right);

    public static bool operator <(DigestKey left, DigestKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(DigestKey left, DigestKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(DigestKey left, DigestKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(DigestKey left, DigestKey right) => left.CompareTo(right) >= 0;
}
