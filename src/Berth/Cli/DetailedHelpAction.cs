using System.CommandLine;
using System.CommandLine.Invocation;

namespace Berth.Cli;

/// <summary>
/// System.CommandLine's help, followed by a command's own details (configuration, examples) that would not fit in
/// the one-line description shown in the command list.
/// </summary>
internal sealed class DetailedHelpAction(CommandLineAction? standardHelp, IReadOnlyDictionary<Command, string> details)
    : SynchronousCommandLineAction
{
    private readonly SynchronousCommandLineAction _standardHelp = standardHelp as SynchronousCommandLineAction
        ?? throw new ArgumentException("System.CommandLine's help is expected to be a synchronous action.", nameof(standardHelp));

    // Like the standard help: 'berth serve --help extra' still shows help instead of an argument error.
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exitCode = _standardHelp.Invoke(parseResult);
        if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(text.TrimEnd());
            output.WriteLine();
        }

        return exitCode;
    }
}
