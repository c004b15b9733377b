using System.CommandLine;
using Berth.Configuration;
using Berth.Hosting.Privileges;
using Berth.Logging;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary><c>berth serve [config.yml]</c>: load the configuration, say what it ignores, run the registry.</summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    public const string Summary = "Serve the registry (OCI Distribution API and Docker Registry HTTP API V2) as the configuration says.";

    /// <summary>Written after the usage by <c>berth serve --help</c>.</summary>
    public const string Details = """
        Configuration:
          A registry:2 or registry:3 config.yml. Without one, berth reads the file REGISTRY_CONFIGURATION_PATH
          names, as both do; without that, the registry images' default configuration: filesystem storage at
          /var/lib/registry, listening on :5000.

        Environment:
          Any configuration key can be set by a variable REGISTRY_<KEY PATH>, which overrides the file: the path
          in upper case, with _ between its parts. Values are read as YAML (true, 5000, [a, b]).
            REGISTRY_HTTP_ADDR=127.0.0.1:5000                        http.addr
            REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=/srv/registry  storage.filesystem.rootdirectory
            REGISTRY_STORAGE_DELETE_ENABLED=true                     storage.delete.enabled
            REGISTRY_STORAGE=inmemory                                the storage driver (replaces storage)
            REGISTRY_LOG_LEVEL=debug                                 log.level (error, warn, info, debug)
            REGISTRY_HTTP_TLS_CERTIFICATE=/certs/domain.crt          http.tls.certificate (with http.tls.key: HTTPS)
            REGISTRY_AUTH=htpasswd                                   the auth kind (replaces auth)
            REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd               auth.htpasswd.path (make it with berth htpasswd)

        Running as root:
          With --user UID[:GID], berth started as root reads the TLS certificate and key, the htpasswd file and the
          token keys first (they may be readable by root alone), gives the storage root and everything in it to
          UID:GID, then switches to that user for good before it accepts a connection. The container image does
          this with 1654:1654. Files read again later must then be readable by that user: a renewed certificate
          it cannot read leaves the previous one in service, a changed htpasswd file it cannot read lets nobody in
          (both with a warning in the log).

        Examples:
          berth serve
          berth serve /etc/distribution/config.yml
          REGISTRY_HTTP_ADDR=:5001 berth serve config.yml
          berth config.yml                  the same as: berth serve config.yml

        Exit status:
          0 after a clean stop (SIGTERM, Ctrl+C); 1 for a configuration error, printed as one line naming the key.
        """;

    public static Command Create(RunRegistry runRegistry, IReadOnlyDictionary<string, string> environment)
    {
        var config = new Argument<string?>("config")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "The config.yml to serve; REGISTRY_CONFIGURATION_PATH, else the registry images' default configuration, when omitted.",
        };
        var user = new Option<ServiceUser?>("--user")
        {
            Description = "When started as root: read the configured files, give the storage root to UID:GID, then run as it.",
            HelpName = "UID[:GID]",
            CustomParser = ParseUser,
        };
        var command = new Command(Name, Summary) { config, user };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(config), parseResult.GetValue(user),
            parseResult.InvocationConfiguration.Error, runRegistry, environment, cancellationToken));
        return command;
    }

    private static ServiceUser? ParseUser(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (ServiceUser.TryParse(text, out var user))
        {
            return user;
        }

        result.AddError($"--user: '{text}' is not UID or UID:GID (numbers other than 0)");
        return null;
    }

    private static async Task<int> RunAsync(string? configFile, ServiceUser? user, TextWriter error, RunRegistry runRegistry,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        try
        {
            configFile = ConfigurationLoader.ResolvePath(configFile, environment);
            var (configuration, warnings) = ConfigurationLoader.Load(configFile, environment);
            LogLoaded(configuration, configFile ?? "the built-in default configuration", warnings);
            return await runRegistry(configuration, user, cancellationToken);
        }
        catch (ConfigurationException e)
        {
            // One line the user can act on; a stack trace would only hide it.
            await error.WriteLineAsync($"berth: configuration error: {e.Message}");
            return 1;
        }
    }

    private static void LogLoaded(RegistryConfiguration configuration, string source, IReadOnlyList<string> warnings)
    {
        // Disposing the factory flushes the console logger's queue before the host starts writing its own.
        using var loggers = LoggerFactory.Create(builder => LoggingSetup.Configure(builder, configuration.Log));
        var logger = loggers.CreateLogger("Berth.Configuration");
        CliLog.ConfigurationLoaded(logger, source);
        foreach (var warning in warnings)
        {
            CliLog.ConfigurationWarning(logger, warning);
        }
    }
}
