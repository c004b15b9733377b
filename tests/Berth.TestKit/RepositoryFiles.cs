namespace Berth.TestKit;

/// <summary>Files of the repository the tests were built from (scripts, configs), found by walking up from the test assembly.</summary>
public static class RepositoryFiles
{
    /// <summary>The full path of <paramref name="relativePath"/> in the nearest folder above the test assembly that has it.</summary>
    public static string Find(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{relativePath} not found in any folder above {AppContext.BaseDirectory}");
    }
}
