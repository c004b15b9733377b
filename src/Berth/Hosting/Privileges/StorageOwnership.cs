using System.ComponentModel;
using System.IO.Enumeration;
using System.Runtime.InteropServices;

namespace Berth.Hosting.Privileges;

/// <summary>
/// Gives the storage root and everything in it to the service user before root is dropped, as the official
/// postgres and redis images do with their data folders. Without it, a host folder docker created (root's) or one
/// that registry:2 filled (running as root) could be read but not written once berth runs as its own user.
/// </summary>
/// <remarks>
/// Symbolic links are changed themselves, never followed, so nothing outside the root is touched. Every entry is
/// changed, owned already or not (.NET has no owner read); on a registry of a million files this costs about a
/// second at start, and only when berth starts as root.
/// </remarks>
internal static class StorageOwnership
{
    /// <returns>How many entries were changed, the root included.</returns>
    public static int GiveTo(string root, ServiceUser user)
    {
        Directory.CreateDirectory(root);
        // A root configured as a link (/var/lib/registry -> /srv/data) means its target: that folder is the store.
        root = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;
        Change(root, user);
        var entries = new FileSystemEnumerable<string>(root, (ref entry) => entry.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            // A link to a folder is a link: its target may be anywhere.
            ShouldRecursePredicate = (ref entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        var count = 1;
        foreach (var path in entries)
        {
            Change(path, user);
            count++;
        }

        return count;
    }

    private static void Change(string path, ServiceUser user)
    {
        const int NoSuchEntry = 2; // ENOENT: removed since it was listed (another node sharing the folder)
        if (Posix.lchown(path, user.Uid, user.Gid) != 0 && Marshal.GetLastPInvokeError() is var error and not NoSuchEntry)
        {
            throw new IOException($"cannot give {path} to {user}: {new Win32Exception(error).Message}");
        }
    }
}
