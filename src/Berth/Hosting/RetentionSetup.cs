using Berth.Configuration;
using Berth.Metrics;
using Berth.Redis;
using Berth.Storage.Drivers;
using Berth.Storage.Retention;
using Berth.Storage.Stores;

namespace Berth.Hosting;

/// <summary>
/// <c>storage.retention</c> in <c>berth serve</c>: where pull times live, the recorder the manifest GET feeds, its
/// flush loop, and the phase each online collection runs first. Made only when a policy is configured; without one
/// nothing of it exists and a pull costs what it did before.
/// </summary>
internal sealed partial class RetentionSetup : IDisposable
{
    private readonly RegistryConfiguration _configuration;

    private RetentionSetup(RegistryConfiguration configuration, IPullTimeStore pulls, PullRecorder? recorder)
    {
        _configuration = configuration;
        Pulls = pulls;
        Recorder = recorder;
    }

    public IPullTimeStore Pulls { get; }

    /// <summary>Null in read-only mode without Redis: recording would write to a storage that must stay as it is.</summary>
    public PullRecorder? Recorder { get; }

    /// <param name="served">The driver requests use; pull times are written through it when Redis is not configured.</param>
    public static RetentionSetup? Create(RegistryConfiguration configuration, RedisConnection? redis, IStorageDriver served)
    {
        if (configuration.Storage.Retention.IsEmpty)
        {
            return null;
        }

        var pulls = SharedState.PullTimes(redis, served);
        var recorder = configuration.Storage.ReadOnly && redis is null ? null : new PullRecorder(TimeProvider.System);
        return new RetentionSetup(configuration, pulls, recorder);
    }

    /// <summary>Says at start where retention applies, so a configuration without online collection is no surprise.</summary>
    public void LogStart(ILogger logger)
    {
        var retention = _configuration.Storage.Retention;
        LogConfigured(logger, retention.Policies.Count, retention.DryRun, Recorder is not null,
            RegistryHost.CollectsOnline(_configuration.Storage) ? "in every online collection" : "only by berth garbage-collect --retention (online collection is off)");
    }

    /// <returns>Until berth stops and the last pulls are written; done at once when nothing records.</returns>
    public Task FlushAsync(ILogger logger, CancellationToken stopping) =>
        Recorder is null ? Task.CompletedTask : new PullFlushLoop(Recorder, Pulls, logger, TimeProvider.System).RunAsync(stopping);

    /// <param name="uncached">The driver below the Redis link cache, which keeps no modification times (push times).</param>
    public OnlineRetentionPhase Phase(RegistryStore store, IStorageDriver served, IStorageDriver uncached, ILogger logger, BerthMetrics? metrics)
    {
        var runner = new RetentionRunner(new RetentionStorage(store, served, uncached, Pulls), _configuration.Storage.Retention,
            _configuration.Storage.ImmutableTags, TimeProvider.System);
        return new OnlineRetentionPhase(runner, _configuration.Storage.Retention.DryRun, Recorder, Pulls, logger,
            metrics is null ? null : new RetentionMetrics(metrics.Meter));
    }

    public void Dispose() => (Pulls as IDisposable)?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: {Policies} policies (dry run: {DryRun}, pulls recorded: {Recording}), applied {Where}")]
    private static partial void LogConfigured(ILogger logger, int policies, bool dryRun, bool recording, string where);
}
