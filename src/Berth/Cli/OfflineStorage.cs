using System.CommandLine;
using Berth.Configuration;
using Berth.Hosting;
using Berth.Logging;
using Berth.Storage.Drivers;
using Berth.Storage.Retention;
using Berth.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Cli;

/// <summary>
/// The storage a config.yml names, opened for a verb that works on it with the registry stopped (garbage-collect,
/// check): the driver itself and, with Redis, the same driver behind the link cache, which writes must go through
/// so every node sees them at its next request. Logs warnings only.
/// </summary>
internal sealed class OfflineStorage : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly RedisConnection? _redis;

    private OfflineStorage(RegistryConfiguration configuration, IStorageDriver driver, ILoggerFactory loggers, RedisConnection? redis)
    {
        Configuration = configuration;
        Driver = driver;
        _loggers = loggers;
        _redis = redis;
        Shared = SharedState.Driver(driver, redis);
    }

    public RegistryConfiguration Configuration { get; }

    /// <summary>The storage as it is, never a cache.</summary>
    public IStorageDriver Driver { get; }

    /// <summary>The driver deletes go through: with Redis, behind the link cache.</summary>
    public IStorageDriver Shared { get; }

    /// <summary>Where <c>berth serve</c> records pull times (Redis when configured, else the store), for retention.</summary>
    public IPullTimeStore PullTimes() => SharedState.PullTimes(_redis, Shared);

    /// <summary>The verb's config file argument, which may be left out when REGISTRY_CONFIGURATION_PATH names one.</summary>
    public static Argument<string?> ConfigArgument() => new("config")
    {
        Arity = ArgumentArity.ZeroOrOne,
        Description = "The registry's config.yml (REGISTRY_* variables apply, as for serve); REGISTRY_CONFIGURATION_PATH when omitted.",
    };

    /// <summary>
    /// The file the argument or REGISTRY_CONFIGURATION_PATH names; null, after telling the user, when neither does:
    /// these verbs never fall back to the built-in default, whose empty folder is not the user's storage.
    /// </summary>
    public static string? ResolveConfigFile(ParseResult parseResult, Argument<string?> config, IReadOnlyDictionary<string, string> environment, string verb)
    {
        var file = ConfigurationLoader.ResolvePath(parseResult.GetValue(config), environment);
        if (file is null)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"berth: {verb} needs a config file: name one, or set {ConfigurationLoader.PathVariable}");
        }

        return file;
    }

    /// <param name="logToStandardError">Keep stdout for the verb's own output (a JSON document) by sending log lines to stderr.</param>
    /// <exception cref="ConfigurationException">The file or a REGISTRY_* variable is wrong.</exception>
    public static async Task<OfflineStorage> OpenAsync(string configFile, IReadOnlyDictionary<string, string> environment, bool logToStandardError)
    {
        var (configuration, _) = ConfigurationLoader.Load(configFile, environment);
        var driver = StorageFactory.Create(configuration.Storage);
        var loggers = LoggerFactory.Create(builder =>
        {
            LoggingSetup.Configure(builder, configuration.Log);
            builder.AddFilter(level => level >= LogLevel.Warning);
            if (logToStandardError)
            {
                builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });
        try
        {
            return new OfflineStorage(configuration, driver, loggers, await SharedState.ConnectAsync(configuration, loggers));
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _loggers.Dispose();
    }
}
