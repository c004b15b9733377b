using Berth.TestKit;

namespace Berth.Tests.Cli;

/// <summary>Runs <c>berth check</c> to the end with stdout and stderr apart: stdout must hold the report alone.</summary>
internal static class BerthCheck
{
    /// <param name="environment">REGISTRY_* variables for the run (the S3 driver's), or null.</param>
    public static Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string>? environment, string[] arguments, CancellationToken cancellationToken)
    {
        var options = new CommandOptions { Timeout = TimeSpan.FromMinutes(2), Environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) };
        return CommandRunner.RunAsync("dotnet", [BerthProcess.BerthDll, "check", .. arguments], options, cancellationToken);
    }
}
