using System.Globalization;

namespace Berth.Hosting.Privileges;

/// <summary>
/// The numeric user and group that <c>berth serve --user</c> switches to after reading what only root may read
/// (<c>1654:1654</c>, or <c>1654</c> for the group of the same number, as <c>docker run --user</c> takes them).
/// </summary>
internal readonly record struct ServiceUser(uint Uid, uint Gid)
{
    public static bool TryParse(string text, out ServiceUser user)
    {
        var parts = text.Split(':');
        user = default;
        if (parts.Length > 2 || !TryParseId(parts[0], out var uid))
        {
            return false;
        }

        var gid = uid;
        if (parts.Length == 2 && !TryParseId(parts[1], out gid))
        {
            return false;
        }

        user = new ServiceUser(uid, gid);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Uid}:{Gid}");

    // Root as the target would make the switch a no-op that reads as a safety; ids above int range are not real.
    private static bool TryParseId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id is > 0 and <= int.MaxValue;
}
