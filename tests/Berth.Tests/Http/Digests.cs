using System.Security.Cryptography;
using Xunit;

namespace Berth.Tests.Http;

internal static class Digests
{
    public static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A well-formed digest of content nobody pushed.</summary>
    public static string Absent() => Sha256(Guid.NewGuid().ToByteArray());

    /// <summary>Distinct content per call, so tests sharing one registry never collide.</summary>
    public static byte[] RandomBytes(int length = 32)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A repository name no other test uses.</summary>
    public static string NewRepository(string prefix = "test") => $"{prefix}/r{Guid.NewGuid():N}"[..(prefix.Length + 14)];
}
