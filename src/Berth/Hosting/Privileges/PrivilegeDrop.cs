using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Berth.Hosting.Privileges;

/// <summary>
/// Gives up root for good: supplementary groups, then the group, then the user (in that order, since each step
/// needs the privilege the next one removes). setuid as root sets the real, effective and saved ids and clears the
/// capabilities, so nothing can be taken back; the switch is then proven by trying to become root again.
/// </summary>
internal static class PrivilegeDrop
{
    /// <exception cref="InvalidOperationException">A step failed; berth must not serve half switched.</exception>
    public static void To(ServiceUser user)
    {
        Check(Posix.setgroups(1, [user.Gid]), "setgroups");
        Check(Posix.setgid(user.Gid), "setgid");
        Check(Posix.setuid(user.Uid), "setuid");

        if (Posix.setuid(0) == 0 || Posix.getuid() != user.Uid || Posix.geteuid() != user.Uid
            || Posix.getgid() != user.Gid || Posix.getegid() != user.Gid)
        {
            throw new InvalidOperationException($"switching to {user} did not take: root could be regained");
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }
}
