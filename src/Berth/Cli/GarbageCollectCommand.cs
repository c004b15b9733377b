using System.CommandLine;
using Berth.Configuration;
using Berth.Core.Errors;
using Berth.Storage.Gc;
using Berth.Storage.Nodes;

namespace Berth.Cli;

/// <summary>
/// <c>berth garbage-collect [--dry-run] [--delete-untagged] [--quiet] [--retention] [--usage] config.yml</c>: registry:2's
/// offline garbage collector, same flags (and registry:3's --quiet), same output, run against the storage the
/// configuration names; with Berth's --retention, <c>storage.retention</c> is applied first and reported above, and
/// with --usage the storage used per repository is printed after.
/// </summary>
internal static class GarbageCollectCommand
{
    public const string Name = "garbage-collect";

    public const string Summary = "Delete the blobs no manifest references, as registry:2's garbage-collect does. Offline: stop the registry "
        + "(and every other registry on this storage) first, or make it read-only; a push during the run could lose its layers. "
        + "Refuses (exit 3) while a berth serve on this storage takes pushes or collects online, unless --force.";

    /// <summary>Exit code when the storage fails or holds a manifest that cannot be read.</summary>
    public const int StorageFailure = 2;

    public static Command Create(IReadOnlyDictionary<string, string> environment)
    {
        var config = OfflineStorage.ConfigArgument();
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Do everything except delete: report what would be deleted." };
        var deleteUntagged = new Option<bool>("--delete-untagged", "-m")
        {
            Description = "Also delete manifests no tag points at. Unlike registry:2, Berth keeps the children of a kept index "
                + "(multi-arch images) and the referrers of a kept manifest (signatures, SBOMs).",
        };
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "Print nothing but errors (as registry:3): no report of what is marked or deleted. The exit status is unchanged.",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Collect even while a berth node on this storage takes pushes or collects online (its presence record says so). "
                + "Only when you know it is idle: a push during the run could lose its layers.",
        };
        var usage = new Option<bool>("--usage", "-u")
        {
            Description = "After the run, print the storage each repository uses (bytes no other repository shares, and bytes shared "
                + "with others), most unique first, and the totals. Printed with --quiet and --dry-run too.",
        };
        var retention = new Option<bool>("--retention")
        {
            Description = "First apply storage.retention (its policies decide which tags go; their manifests go as each policy says), "
                + "print what each rule kept and removed and why, then collect. With --dry-run (or storage.retention.dryrun) nothing is removed.",
        };
        var command = new Command(Name, Summary) { config, dryRun, deleteUntagged, quiet, force, retention, usage };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new GarbageCollectionOptions
            {
                DryRun = parseResult.GetValue(dryRun),
                DeleteUntagged = parseResult.GetValue(deleteUntagged),
                Quiet = parseResult.GetValue(quiet),
            };
            var configuration = parseResult.InvocationConfiguration;
            // As registry:2: collecting garbage in the built-in default's storage by accident would be no service.
            if (OfflineStorage.ResolveConfigFile(parseResult, config, environment, Name) is not { } configFile)
            {
                return Task.FromResult(1);
            }

            return RunAsync(configFile, options, new Switches(parseResult.GetValue(force), parseResult.GetValue(retention), parseResult.GetValue(usage)), environment, configuration.Output,
                configuration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string configFile, GarbageCollectionOptions options, Switches switches,
        IReadOnlyDictionary<string, string> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // registry:2's report is a line per manifest and blob marked, and Console.Out writes each line with a system call
        // of its own: on a store of 100,000 blobs that is a good part of the run. Buffered, and flushed before any error.
        // The collector reads ahead and deletes 16 at a time, and on a filesystem each of those blocks a pool thread
        // for the length of the call: the pool gets the threads at once rather than one every half second.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, GarbageCollector.Parallelism + 2), completionPorts);
        var buffered = ReferenceEquals(output, Console.Out)
            ? new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false }
            : null;
        await using (buffered)
        {
            return await CollectAsync(configFile, options, switches, environment, buffered ?? output, error, cancellationToken);
        }
    }

    private static async Task<int> CollectAsync(string configFile, GarbageCollectionOptions options, Switches switches,
        IReadOnlyDictionary<string, string> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            // With Redis, through the link cache: every node sees a collected blob or manifest gone at its next request.
            // Log lines stay on stdout, warnings only, so registry:2's report there stays readable by scripts.
            await using var storage = await OfflineStorage.OpenAsync(configFile, environment, logToStandardError: false);
            if (!switches.Force && !await RunningNodesCheck.AllowsAsync(storage.Driver, options.DryRun, error, TimeProvider.System, cancellationToken))
            {
                return RunningNodesCheck.Refused;
            }

            if (switches.Retention && !await OfflineRetention.RunAsync(storage, options.DryRun, options.Quiet, output, error, cancellationToken))
            {
                return 1;
            }

            var result = await GarbageCollector.RunAsync(storage.Shared, options, output, cancellationToken);
            if (!options.DryRun)
            {
                // The records of nodes killed without a clean stop: left over like any other garbage.
                await new NodePresenceStore(storage.Driver).RemoveStaleAsync(TimeProvider.System.GetUtcNow(), cancellationToken);
            }

            if (switches.Usage)
            {
                await UsageTable.WriteAsync(output, result.Usage);
            }

            return 0;
        }
        catch (ConfigurationException e)
        {
            await output.FlushAsync(cancellationToken);
            await error.WriteLineAsync($"berth: configuration error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GarbageCollectionException or ServiceUnavailableException
            or RegistryException)
        {
            // registry:2 says "failed to garbage collect"; the same words, so scripts and people recognise it.
            await output.FlushAsync(CancellationToken.None);
            await error.WriteLineAsync($"berth: failed to garbage collect: {e.Message}");
            return StorageFailure;
        }
    }

    /// <param name="Force">--force: run beside live nodes.</param>
    /// <param name="Retention">--retention: apply storage.retention first.</param>
    /// <param name="Usage">--usage: print the storage used per repository afterwards.</param>
    private readonly record struct Switches(bool Force, bool Retention, bool Usage);
}
