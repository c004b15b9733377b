namespace Berth.Cli;

/// <summary>
/// An htpasswd file as Apache htpasswd edits it: one <c>user:hash</c> per line; comment (<c>#</c>) and empty lines are
/// kept as they are. Saving writes a temporary file beside it and renames it over, so a reader (the registry) never
/// sees half a file.
/// </summary>
internal sealed class HtpasswdFile
{
    private readonly string _path;
    private readonly List<string> _lines;

    private HtpasswdFile(string path, List<string> lines)
    {
        _path = path;
        _lines = lines;
    }

    public static HtpasswdFile New(string path) => new(path, []);

    /// <exception cref="HtpasswdException">The file is missing or unreadable.</exception>
    public static HtpasswdFile Open(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new HtpasswdException(HtpasswdException.FileError, $"cannot modify file {path}; use '-c' to create it");
        }

        try
        {
            return new HtpasswdFile(path, [.. System.IO.File.ReadAllLines(path)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HtpasswdException(HtpasswdException.FileError, $"cannot read file {path}: {e.Message}");
        }
    }

    /// <summary>The hash stored for <paramref name="user"/>, or null.</summary>
    public string? Find(string user) => IndexOf(user) is var i and >= 0 ? _lines[i][(user.Length + 1)..] : null;

    /// <returns>True when the user was already there (updated), false when added.</returns>
    public bool Set(string user, string hash)
    {
        var index = IndexOf(user);
        if (index >= 0)
        {
            _lines[index] = $"{user}:{hash}";
            return true;
        }

        _lines.Add($"{user}:{hash}");
        return false;
    }

    /// <returns>False when the user was not in the file.</returns>
    public bool Remove(string user)
    {
        var index = IndexOf(user);
        if (index >= 0)
        {
            _lines.RemoveAt(index);
        }

        return index >= 0;
    }

    /// <exception cref="HtpasswdException">The file or its folder cannot be written.</exception>
    public void Save()
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(_path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            System.IO.File.WriteAllText(temporary, string.Concat(_lines.Select(l => l + "\n")));
            if (!OperatingSystem.IsWindows() && System.IO.File.Exists(_path))
            {
                // Keep the mode the owner gave the file (often 0640 so that only the registry's group reads it).
                System.IO.File.SetUnixFileMode(temporary, System.IO.File.GetUnixFileMode(_path));
            }

            System.IO.File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.IO.File.Delete(temporary);
            throw new HtpasswdException(HtpasswdException.FileError, $"cannot write file {_path}: {e.Message}");
        }
    }

    private int IndexOf(string user) =>
        _lines.FindIndex(line => !line.StartsWith('#') && line.Length > user.Length && line[user.Length] == ':'
            && line.StartsWith(user, StringComparison.Ordinal));
}
