using System.Runtime.InteropServices;
using Berth.Configuration;

namespace Berth.Hosting;

/// <summary>
/// The socket file of <c>http.net: unix</c>. A socket outlives a process that did not close it (kill -9), and
/// binding to a path that exists fails; so, as registry does, a socket found at the path is removed before listening.
/// Anything else found there (a file, a folder, a link) is left alone and stops the start: never delete what berth
/// did not make.
/// </summary>
internal static partial class UnixSocketFile
{
    private const string Key = "http.addr";
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int FileTypeMask = 0xF000;
    private const int SocketType = 0xC000;
    private const int NoSuchEntry = 2;
    private const int NotADirectory = 20;

    /// <summary>Size of <c>struct statx</c>, whose layout (unlike <c>struct stat</c>'s) is the same on every architecture.</summary>
    private const int StatxSize = 256;

    /// <summary>Offset of <c>stx_mode</c> (16 bits: file type and permissions) in <c>struct statx</c>.</summary>
    private const int StatxModeOffset = 28;

    /// <exception cref="ConfigurationException">Something other than a socket is at the path, or it cannot be removed.</exception>
    public static void RemoveStale(string path)
    {
        var type = FileType(path);
        if (type is null)
        {
            return;
        }

        if (type != SocketType)
        {
            throw new ConfigurationException(Key, $"{path} exists and is not a socket; remove it or choose another path");
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(Key, $"cannot remove the old socket {path}: {e.Message}");
        }
    }

    /// <summary>The file type bits of what is at <paramref name="path"/> (a link is not followed); null when nothing is.</summary>
    private static int? FileType(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0)
        {
            return MemoryMarshal.Read<ushort>(buffer[StatxModeOffset..]) & FileTypeMask;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is NoSuchEntry or NotADirectory
            ? null
            : throw new ConfigurationException(Key, $"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, Span<byte> buffer);
}
