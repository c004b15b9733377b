using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Auth.Htpasswd;

/// <summary>
/// Remembers, per user, that a password was verified, so bcrypt runs once instead of on every request. What is kept
/// is an HMAC-SHA256 of (user, password, the entry's hash) under a random per-process key: a memory dump shows
/// neither the password nor anything to brute-force offline faster than the bcrypt hash itself, and a changed entry
/// can never match an old fingerprint. One instance lives as long as one version of the file.
/// </summary>
internal sealed class VerifiedPasswordCache
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public VerifiedPasswordCache(int capacity)
    {
        _capacity = capacity;
    }

    public int Count => _verified.Count;

    public static byte[] Fingerprint(string user, string password, string hash)
    {
        var length = 12 + Encoding.UTF8.GetMaxByteCount(user.Length + password.Length + hash.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // Length-prefixed fields, so no two (user, password, hash) triples share an encoding.
            var written = 0;
            foreach (var field in (ReadOnlySpan<string>)[user, password, hash])
            {
                var size = Encoding.UTF8.GetBytes(field, buffer.AsSpan(written + 4));
                BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(written), size);
                written += 4 + size;
            }

            return HMACSHA256.HashData(Key, buffer.AsSpan(0, written));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public bool Matches(string user, byte[] fingerprint) =>
        _verified.TryGetValue(user, out var known) && CryptographicOperations.FixedTimeEquals(known, fingerprint);

    public void Remember(string user, byte[] fingerprint)
    {
        // Bounded by the file's user count in practice; the cap guards against a file of millions of users.
        if (_verified.Count >= _capacity && !_verified.ContainsKey(user))
        {
            _verified.Clear();
        }

        _verified[user] = fingerprint;
    }
}
