namespace Berth.Cli;

/// <summary>
/// What a running <c>berth serve</c> was told to serve, read back from its command line (<c>/proc/PID/cmdline</c>):
/// the one place that knows the config file of a container started with <c>docker run berth /my/config.yml</c>, so
/// the image's HEALTHCHECK can probe the port that file names.
/// </summary>
/// <param name="ProcessId">The serving process.</param>
/// <param name="ConfigFile">The config file as given (relative to the process's working folder when not rooted); null
/// when serve runs on the built-in default configuration.</param>
internal sealed record ServeInvocation(int ProcessId, string? ConfigFile)
{
    private const string ExecutableName = "berth";

    /// <summary>
    /// The config argument of <c>berth [serve] [--user UID[:GID]] [config.yml]</c>, as this executable parses it
    /// (<see cref="BerthCommandLine"/>): the verb serve, or a first argument ending in .yml/.yaml (berth config.yml).
    /// Also the development form <c>dotnet berth.dll serve ...</c>.
    /// </summary>
    /// <returns>False when the command line is not berth serving; else true, with the config file or null.</returns>
    public static bool TryParseArguments(IReadOnlyList<string> argv, out string? configFile)
    {
        configFile = null;
        var verb = VerbIndex(argv);
        if (verb < 0 || verb >= argv.Count)
        {
            return false;
        }

        if (IsConfigFileName(argv[verb]))
        {
            configFile = argv[verb];
            return true;
        }

        if (argv[verb] != ServeCommand.Name)
        {
            return false;
        }

        configFile = FirstPositional(argv, verb + 1);
        return true;
    }

    /// <summary>The arguments in <c>/proc/PID/cmdline</c>: each one ends with a NUL.</summary>
    public static IReadOnlyList<string> SplitCommandLine(ReadOnlySpan<byte> cmdline) =>
        cmdline.IsEmpty ? [] : System.Text.Encoding.UTF8.GetString(cmdline).TrimEnd('\0').Split('\0');

    /// <summary>The argument after the executable: <c>berth VERB</c> or <c>dotnet berth.dll VERB</c>; -1 when neither.</summary>
    private static int VerbIndex(IReadOnlyList<string> argv)
    {
        if (argv.Count > 0 && Path.GetFileName(argv[0]) == ExecutableName)
        {
            return 1;
        }

        return argv.Count > 1 && Path.GetFileName(argv[1]) == ExecutableName + ".dll" ? 2 : -1;
    }

    private static bool IsConfigFileName(string argument) =>
        !argument.StartsWith('-')
        && (argument.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || argument.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase));

    /// <summary>serve's one argument among its options: <c>--user</c> takes a value, <c>--</c> ends the options.</summary>
    private static string? FirstPositional(IReadOnlyList<string> argv, int start)
    {
        for (var i = start; i < argv.Count; i++)
        {
            var argument = argv[i];
            if (argument == "--")
            {
                return i + 1 < argv.Count ? argv[i + 1] : null;
            }

            if (argument == "--user")
            {
                i++;
            }
            else if (!argument.StartsWith('-'))
            {
                return argument;
            }
        }

        return null;
    }
}
