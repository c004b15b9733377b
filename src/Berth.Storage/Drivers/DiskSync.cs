using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Drivers;

/// <summary>
/// The two disk operations .NET has no API for, from libc (Linux only; elsewhere they do nothing):
/// <list type="bullet">
/// <item><see cref="FlushFolder"/> makes a rename durable: fsync of the folder that holds the new name. Without
/// it, the file's content is on disk (it was fsynced before the rename) but a power cut can still undo the rename
/// itself, losing a blob or tag that was already acknowledged. On journaling filesystems (ext4, xfs) this one
/// commit also covers the folders made for the file.</item>
/// <item><see cref="StartWriteback"/> asks the kernel to start writing a range of a file to disk now, without
/// waiting, so that an upload's bytes go to disk while the rest still arrives and the fsync at its end has little
/// left to do.</item>
/// </list>
/// </summary>
internal static partial class DiskSync
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC, the same on x86-64 and arm64
    private const int InputOutputError = 5; // EIO
    private const uint StartWriteOnly = 2; // SYNC_FILE_RANGE_WRITE: start writeback of dirty pages, do not wait for it

    /// <exception cref="IOException">The disk reported an I/O error: what was written may not be there.</exception>
    public static void FlushFolder(string directory)
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

    /// <summary>
    /// Starts writeback of <paramref name="count"/> bytes from <paramref name="offset"/>, on a thread-pool thread:
    /// the call blocks while the disk's queue is full, and the request must not wait for that. Only a hint: the
    /// fsync before publishing is what makes the bytes durable, so a failure here changes nothing and is ignored.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The reference keeps the descriptor open (and its number not reused) until the call is done, even when
        // the writer closes the file first.
        var added = false;
        file.DangerousAddRef(ref added);
        ThreadPool.UnsafeQueueUserWorkItem(state =>
        {
            try
            {
                _ = sync_file_range((int)state.File.DangerousGetHandle(), state.Offset, state.Count, StartWriteOnly);
            }
            finally
            {
                state.File.DangerousRelease();
            }
        }, (File: file, Offset: offset, Count: count), preferLocal: false);
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int sync_file_range(int descriptor, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int descriptor);
}
