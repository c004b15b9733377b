using System.CommandLine;
using Berth.Configuration;
using Berth.Core.Errors;
using Berth.Storage.Check;

namespace Berth.Cli;

/// <summary>
/// <c>berth check [--repair-links] [--quiet] [--json] config.yml</c>: verifies the storage the configuration names
/// (<see cref="IntegrityChecker"/>) and reports what is corrupt or dangling. Exit 0 clean, 1 problems found, 2 when
/// the check could not run (usage, configuration, unreadable storage), so a script can tell "damaged" from "broken".
/// </summary>
internal static class CheckCommand
{
    public const string Name = "check";

    public const string Summary = "Verify the storage: every blob hashes to its digest, every link names content that exists, every manifest "
        + "parses and what it names is there and linked. Changes nothing unless --repair-links. Exit 0 clean, 1 problems found, 2 could not check.";

    public const int ProblemsFound = 1;

    /// <summary>Usage or configuration error, or storage that could not be read: the store's state is unknown.</summary>
    public const int CouldNotCheck = 2;

    public static Command Create(IReadOnlyDictionary<string, string> environment)
    {
        var config = OfflineStorage.ConfigArgument();
        var repairLinks = new Option<bool>("--repair-links")
        {
            Description = "Remove dangling links: tags naming a manifest that is gone, layer links naming a blob that is gone. "
                + "Each removal is reported; blob data is never deleted or rewritten. Stop the registry first, as for garbage-collect.",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only problems and the count line: no healthy repositories, notes or progress." };
        var json = new Option<bool>("--json") { Description = "Print the findings as one JSON document on stdout instead of the text report." };
        var command = new Command(Name, Summary) { config, repairLinks, quiet, json };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var invocation = parseResult.InvocationConfiguration;
            // As garbage-collect: checking the built-in default's empty folder would report a clean store that is not the user's.
            if (OfflineStorage.ResolveConfigFile(parseResult, config, environment, Name) is not { } configFile)
            {
                return Task.FromResult(CouldNotCheck);
            }

            var run = new CheckRun(parseResult.GetValue(repairLinks), parseResult.GetValue(quiet), parseResult.GetValue(json));
            return RunAsync(configFile, run, environment, invocation.Output, invocation.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string configFile, CheckRun run, IReadOnlyDictionary<string, string> environment,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            // stdout carries the report (or the JSON document): log lines go to stderr.
            await using var storage = await OfflineStorage.OpenAsync(configFile, environment, logToStandardError: true);
            var driver = storage.Driver;
            var options = new IntegrityCheckOptions
            {
                RepairLinks = run.RepairLinks,
                // With Redis, removals go through the link cache so every node forgets them; reads see storage itself.
                RepairDriver = storage.Shared,
                IndexChildren = storage.Configuration.Validation.IndexChildren,
            };
            var report = new CheckTextReport(run.Json ? null : output, error, driver, run.Quiet);
            var result = await IntegrityChecker.RunAsync(driver, options, report, cancellationToken);
            if (run.Json)
            {
                await CheckJsonReport.WriteAsync(output, result, driver);
            }
            else
            {
                await output.WriteLineAsync(CheckTextReport.CountLine(result));
            }

            return result.IsClean ? 0 : ProblemsFound;
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync($"berth: configuration error: {e.Message}");
            return CouldNotCheck;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ServiceUnavailableException)
        {
            await error.WriteLineAsync($"berth: check failed, the storage could not be read: {e.Message}");
            return CouldNotCheck;
        }
    }

    private sealed record CheckRun(bool RepairLinks, bool Quiet, bool Json);
}
