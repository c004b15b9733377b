using Microsoft.Extensions.DependencyInjection.Extensions;
using Berth.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Berth.Logging;

/// <summary>
/// Logging as config.yml's <c>log</c> section asks: console output in text, json or logfmt, at log.level, with
/// log.fields on every entry.
/// </summary>
internal static class LoggingSetup
{
    /// <summary>Replaces every logging provider of <paramref name="builder"/> with Berth's console logging.</summary>
    public static void Configure(ILoggingBuilder builder, LogSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        builder.ClearProviders();
        var level = ToLogLevel(settings.Level);
        builder.SetMinimumLevel(level);

        // ASP.NET Core logs every request at information; at info Berth's own entries are what the user asked for.
        var framework = level <= LogLevel.Debug ? LogLevel.Information : (LogLevel)Math.Max((int)level, (int)LogLevel.Warning);
        builder.AddFilter("Microsoft", framework);
        builder.AddFilter("System", framework);
        builder.AddFilter("Microsoft.Hosting.Lifetime", level);

        switch (settings.Formatter)
        {
            case LogFormatter.Json:
                builder.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                });
                break;
            case LogFormatter.Logfmt:
                builder.AddConsole(o => o.FormatterName = LogfmtConsoleFormatter.FormatterName);
                // Registered directly: AddConsoleFormatter<T, TOptions> binds options by reflection, which Native AOT
                // cannot do, and this formatter has no options to bind.
                builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, LogfmtConsoleFormatter>());
                break;
            default:
                builder.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                });
                break;
        }

        if (settings.Fields.Count > 0)
        {
            AddFields(builder.Services, new LogFields(settings.Fields));
        }
    }

    public static LogLevel ToLogLevel(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Error => LogLevel.Error,
        LogLevelSetting.Warn => LogLevel.Warning,
        LogLevelSetting.Debug => LogLevel.Debug,
        _ => LogLevel.Information,
    };

    private static void AddFields(IServiceCollection services, LogFields fields)
    {
        var console = services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        services.Remove(console);
        services.AddSingleton<ILoggerProvider>(sp => new FieldsLoggerProvider(
            new ConsoleLoggerProvider(sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>()),
            fields));
    }
}
