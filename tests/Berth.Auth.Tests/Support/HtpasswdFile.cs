using Berth.TestKit;

namespace Berth.Auth.Tests.Support;

/// <summary>An htpasswd file in a temp folder, written with real bcrypt hashes (cost 4, to keep tests fast).</summary>
internal sealed class HtpasswdFile : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");
    private int _writes;

    public HtpasswdFile(params (string User, string Password)[] users)
    {
        Path = _directory.Combine("htpasswd");
        Write(users);
    }

    public string Path { get; }

    public static string Hash(string password, char revision = 'y') =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(4, revision));

    public void Write(params (string User, string Password)[] users) =>
        WriteLines(users.Select(u => $"{u.User}:{Hash(u.Password)}").ToArray());

    /// <summary>Writes raw lines; the modification time moves on each write so a change is always visible.</summary>
    public void WriteLines(params string[] lines)
    {
        File.WriteAllText(Path, string.Join('\n', lines) + "\n");
        File.SetLastWriteTimeUtc(Path, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(++_writes));
    }

    public void Dispose() => _directory.Dispose();
}
