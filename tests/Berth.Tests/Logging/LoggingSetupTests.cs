using Berth.Configuration;
using Berth.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Xunit;

namespace Berth.Tests.Logging;

public sealed class LoggingSetupTests
{
    [Fact]
    public void Configure_InfoLevel_LogsInfoButNotDebug()
    {
        using var services = Build(new LogSettings { Level = LogLevelSetting.Info });
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Berth.Storage");

        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.IsEnabled(LogLevel.Debug));
    }

    [Fact]
    public void Configure_InfoLevel_KeepsFrameworkRequestLogsOutButLifetimeIn()
    {
        using var services = Build(new LogSettings { Level = LogLevelSetting.Info });
        var factory = services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData(LogLevelSetting.Error, LogLevel.Error, LogLevel.Warning)]
    [InlineData(LogLevelSetting.Warn, LogLevel.Warning, LogLevel.Information)]
    [InlineData(LogLevelSetting.Debug, LogLevel.Debug, LogLevel.Trace)]
    public void Configure_Level_IsTheMinimum(LogLevelSetting setting, LogLevel enabled, LogLevel disabled)
    {
        using var services = Build(new LogSettings { Level = setting });
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Berth.Http");

        Assert.True(logger.IsEnabled(enabled));
        Assert.False(logger.IsEnabled(disabled));
    }

    [Theory]
    [InlineData(LogFormatter.Text, TextConsoleFormatter.FormatterName)]
    [InlineData(LogFormatter.Json, "berth-json")]
    [InlineData(LogFormatter.Logstash, "berth-logstash")]
    [InlineData(LogFormatter.Logfmt, LogfmtConsoleFormatter.FormatterName)]
    public void Configure_Formatter_SelectsTheConsoleFormatter(LogFormatter formatter, string name)
    {
        using var services = Build(new LogSettings { Formatter = formatter });

        Assert.Equal(name, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.Contains(services.GetServices<ConsoleFormatter>(), f => f.Name == name);
    }

    [Fact]
    public void Configure_AnyFormatter_TurnsOffActivityScopes()
    {
        using var services = Build(new LogSettings());

        Assert.Equal(ActivityTrackingOptions.None, services.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value.ActivityTrackingOptions);
    }

    [Fact]
    public void Configure_Fields_WrapTheOnlyProviderSoEveryEntryCarriesThem()
    {
        using var services = Build(new LogSettings { Fields = new Dictionary<string, string> { ["service"] = "registry" } });

        Assert.IsType<FieldsLoggerProvider>(Assert.Single(services.GetServices<ILoggerProvider>()));
    }

    [Fact]
    public void Configure_NoFields_UsesTheConsoleProviderAlone()
    {
        using var services = Build(new LogSettings());

        Assert.IsType<ConsoleLoggerProvider>(Assert.Single(services.GetServices<ILoggerProvider>()));
    }

    private static ServiceProvider Build(LogSettings settings) =>
        new ServiceCollection()
            .AddLogging(builder =>
            {
                builder.AddDebug();
                LoggingSetup.Configure(builder, settings);
            })
            .BuildServiceProvider();
}
