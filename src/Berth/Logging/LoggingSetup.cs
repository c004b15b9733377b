using Berth.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Berth.Logging;

/// <summary>
/// Logging as config.yml's <c>log</c> section asks: console output in text, json, logstash or logfmt, at log.level, with
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

        // ASP.NET Core's default puts the span, trace and parent ids on every entry as a scope; no Berth format prints
        // them (the request id is Berth's correlation key), so they would only cost an allocation per entry.
        builder.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        var formatter = CreateFormatter(settings.Formatter);
        builder.AddConsole(o => o.FormatterName = formatter.Name);
        // Registered directly: AddConsoleFormatter<T, TOptions> binds options by reflection, which Native AOT cannot do,
        // and Berth's formatters have no options to bind.
        builder.Services.AddSingleton(formatter);

        if (settings.Fields.Count > 0)
        {
            AddFields(builder.Services, new LogFields(settings.Fields));
        }
    }

    private static ConsoleFormatter CreateFormatter(LogFormatter formatter) => formatter switch
    {
        LogFormatter.Json => new JsonConsoleFormatter(JsonLogShape.Json, TimeProvider.System),
        LogFormatter.Logstash => new JsonConsoleFormatter(JsonLogShape.Logstash, TimeProvider.System),
        LogFormatter.Logfmt => new LogfmtConsoleFormatter(TimeProvider.System),
        _ => new TextConsoleFormatter(TimeProvider.System),
    };

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
