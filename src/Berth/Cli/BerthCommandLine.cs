using System.Collections;
using System.CommandLine;
using System.CommandLine.Help;

namespace Berth.Cli;

/// <summary>
/// The <c>berth</c> command line: <c>serve</c>, <c>garbage-collect</c>, <c>check</c>, <c>htpasswd</c> and
/// <c>healthcheck</c>, the subcommands of <see cref="CreateRoot"/>.
/// </summary>
internal sealed class BerthCommandLine(RunRegistry runRegistry, IReadOnlyDictionary<string, string> environment)
{
    private const string Description = """
        Berth: a container image registry, a drop-in replacement for the registry:2 image (CNCF Distribution).
        It reads the same config.yml and REGISTRY_* variables and keeps images in the same layout on disk.

        Run 'berth serve --help' for the configuration and its environment variables.
        """;

    /// <summary>How long a stopping registry may take after SIGTERM or Ctrl+C before the process is ended.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Count > 0 && args[0] == HtpasswdCommand.Name)
        {
            // Apache's grammar (-Bbn, passwords that start with - or @) is not System.CommandLine's: the verb parses
            // its own arguments, exactly as Apache htpasswd would.
            var prompt = Console.IsInputRedirected ? null : (Func<string, string?>)TerminalPrompt.ReadHidden;
            return new HtpasswdCommand(Console.In, output, error, prompt).Run(args.Skip(1).ToList());
        }

        var root = CreateRoot();
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = StopTimeout };
        var parseResult = root.Parse(AsServe(root, args));
        if (parseResult.Errors.Count > 0 && parseResult.CommandResult.Command.Name == CheckCommand.Name)
        {
            // check's exit 1 means "the store has problems": a mistyped flag must not read as one. The errors and
            // usage are printed as for any command.
            await parseResult.InvokeAsync(configuration, cancellationToken);
            return CheckCommand.CouldNotCheck;
        }

        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>The process environment, as the configuration loader takes it.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);

    public RootCommand CreateRoot()
    {
        var serve = ServeCommand.Create(runRegistry, environment);
        // Listed for help only: InvokeAsync hands htpasswd's arguments to HtpasswdCommand unparsed.
        var htpasswd = new Command(HtpasswdCommand.Name, HtpasswdCommand.Summary);
        var root = new RootCommand(Description)
        {
            serve, GarbageCollectCommand.Create(environment), CheckCommand.Create(environment), htpasswd, HealthcheckCommand.Create(environment),
        };
        var helpOption = root.Options.OfType<HelpOption>().Single();
        var help = new DetailedHelpAction(helpOption.Action, new Dictionary<Command, string> { [serve] = ServeCommand.Details });
        helpOption.Action = help;

        // registry:2 prints its usage when run without a command; so does berth, and that is not an error.
        root.SetAction(help.Invoke);
        return root;
    }

    /// <summary>
    /// <c>berth config.yml</c> means <c>berth serve config.yml</c>, as the registry:2 image's entrypoint allows:
    /// a first argument that is no command and names a file or ends in .yml/.yaml.
    /// </summary>
    private static IReadOnlyList<string> AsServe(RootCommand root, IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-') || root.Subcommands.Any(c => c.Name == args[0]))
        {
            return args;
        }

        var first = args[0];
        var looksLikeConfig = File.Exists(first)
            || first.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || first.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
        return looksLikeConfig ? [ServeCommand.Name, .. args] : args;
    }
}
