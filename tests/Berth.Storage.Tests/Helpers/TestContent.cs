namespace Berth.Storage.Tests.Helpers;

/// <summary>Deterministic test bytes: the same seed gives the same content on every run.</summary>
internal static class TestContent
{
    public static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static MemoryStream Stream(byte[] bytes) => new(bytes, writable: false);
}
