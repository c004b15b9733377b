using System.Runtime.InteropServices;

namespace Berth.Storage.Drivers;

/// <summary>
/// Makes a rename durable: fsync of the folder that holds the new name. Without it, the file's content is on disk
/// (it was fsynced before the rename) but a power cut can still undo the rename itself, losing a blob or tag that
/// was already acknowledged. On journaling filesystems (ext4, xfs) this one commit also covers the folders made
/// for the file. .NET has no way to open a folder, hence libc.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC, the same on x86-64 and arm64
    private const int InputOutputError = 5; // EIO

    /// <exception cref="IOException">The disk reported an I/O error: what was written may not be there.</exception>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = open(directory, ReadOnlyCloseOnExec);
        if (descriptor < 0)
        {
            return; // Gone or unreadable: there is nothing this process can flush.
        }

        try
        {
            // Some filesystems (FUSE, network mounts) cannot sync a folder and say so (EINVAL); only a real I/O
            // error means the rename may not survive.
            if (fsync(descriptor) != 0 && Marshal.GetLastPInvokeError() == InputOutputError)
            {
                throw new IOException($"fsync of {directory} failed with an I/O error");
            }
        }
        finally
        {
            _ = close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int descriptor);
}
