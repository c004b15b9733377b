using System.Runtime.InteropServices;

namespace Berth.Hosting.Privileges;

/// <summary>
/// The few libc calls .NET has no API for: who the process is, changing owners, and giving up root. glibc applies
/// setuid, setgid and setgroups to every thread of the process, which a runtime with its own threads needs.
/// </summary>
internal static partial class Posix
{
    private const string LibC = "libc";

    public static bool IsRoot => geteuid() == 0;

    public static uint EffectiveUserId => geteuid();

    [LibraryImport(LibC, SetLastError = true)]
    internal static partial uint geteuid();

    [LibraryImport(LibC, SetLastError = true)]
    internal static partial uint getuid();

    [LibraryImport(LibC, SetLastError = true)]
    internal static partial uint getegid();

    [LibraryImport(LibC, SetLastError = true)]
    internal static partial uint getgid();

    /// <summary>Changes the owner of a path without following a symbolic link at its end.</summary>
    [LibraryImport(LibC, EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int lchown(string path, uint owner, uint group);

    [LibraryImport(LibC, SetLastError = true)]
    internal static partial int setgroups(nuint size, [In] uint[] list);

    [LibraryImport(LibC, SetLastError = true)]
    internal static partial int setgid(uint gid);

    [LibraryImport(LibC, SetLastError = true)]
    internal static partial int setuid(uint uid);
}
