using System.Globalization;

namespace Berth.Cli;

/// <summary>
/// Finds the running <c>berth serve</c> through <c>/proc</c>, for a healthcheck given no config file. Reads only
/// <c>cmdline</c>, which any user may read, so it works from <c>docker exec</c> as root or as <c>--user</c> while the
/// registry runs as the service user it dropped to; <c>environ</c> would not (it needs ptrace rights), and needs not:
/// a healthcheck inside the container has the same REGISTRY_* variables.
/// </summary>
internal static class ServeProcessLocator
{
    public const string ProcRoot = "/proc";

    /// <summary>
    /// PID 1 when it serves (the image's entrypoint execs berth), else the one serving process among all (under
    /// <c>docker run --init</c>, or on a host). None, or several to choose from: null.
    /// </summary>
    public static ServeInvocation? Find(string procRoot = ProcRoot)
    {
        if (TryRead(procRoot, 1) is { } init)
        {
            return init;
        }

        ServeInvocation? found = null;
        foreach (var folder in EnumerateFolders(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == 1 || pid == Environment.ProcessId || TryRead(procRoot, pid) is not { } serving)
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = serving;
        }

        return found;
    }

    private static ServeInvocation? TryRead(string procRoot, int pid)
    {
        var folder = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
        byte[] cmdline;
        try
        {
            cmdline = File.ReadAllBytes(Path.Combine(folder, "cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone since the listing, or hidden (hidepid): not the one.
            return null;
        }

        if (!ServeInvocation.TryParseArguments(ServeInvocation.SplitCommandLine(cmdline), out var configFile))
        {
            return null;
        }

        return new ServeInvocation(pid, configFile is null || Path.IsPathRooted(configFile) ? configFile : Rooted(folder, configFile));
    }

    /// <summary>
    /// A relative config path is relative to the server's working folder. Reading its <c>cwd</c> link needs ptrace
    /// rights; without them, ours: the container's WORKDIR for both, as docker exec and HEALTHCHECK start there.
    /// </summary>
    private static string Rooted(string folder, string configFile)
    {
        try
        {
            if (new FileInfo(Path.Combine(folder, "cwd")).LinkTarget is { } workingFolder)
            {
                return Path.Combine(workingFolder, configFile);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No ptrace rights over the server: fall back to our own working folder, below.
        }

        return configFile;
    }

    private static string[] EnumerateFolders(string procRoot)
    {
        try
        {
            return Directory.GetDirectories(procRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
