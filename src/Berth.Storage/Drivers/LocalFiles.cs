using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Drivers;

/// <summary>
/// File operations of the filesystem driver that create missing folders only when the OS says one is missing: on
/// the common path (the folder exists) that saves a walk of mkdir calls per write. .NET reports a missing folder as
/// DirectoryNotFound only if it is still missing when it looks again after the failed call; when another writer
/// created it in between (two uploads of one blob at once), the same failure comes as FileNotFound.
/// </summary>
internal static class LocalFiles
{
    public static SafeFileHandle Open(string path, FileMode mode)
    {
        try
        {
            return File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        }
        catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        }
    }

    /// <summary>
    /// Renames <paramref name="source"/> over <paramref name="target"/> (atomic on one filesystem) and makes the
    /// rename durable before returning, since the caller acknowledges what it published.
    /// </summary>
    public static void MoveIntoPlace(string source, string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        try
        {
            File.Move(source, target, overwrite: true);
        }
        catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException && File.Exists(source))
        {
            Directory.CreateDirectory(folder);
            File.Move(source, target, overwrite: true);
        }

        DiskSync.FlushFolder(folder);
    }
}
