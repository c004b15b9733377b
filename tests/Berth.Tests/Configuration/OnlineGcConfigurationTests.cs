using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>storage.maintenance.gc</c>: off by default, its keys, its variables and its daily window.</summary>
public sealed class OnlineGcConfigurationTests
{
    [Fact]
    public void Load_Absent_OffWithDefaults()
    {
        var gc = ConfigYaml.Bind(ConfigYaml.Minimal).Storage.Gc;

        Assert.Equal(new OnlineGcSettings { Enabled = false, Interval = TimeSpan.FromHours(1), Grace = TimeSpan.FromHours(1) }, gc);
        Assert.Null(gc.Window);
    }

    [Fact]
    public void Load_AllKeys_Bound()
    {
        var yaml = ConfigYaml.Minimal
            + "\n  maintenance:\n    gc:\n      enabled: true\n      interval: 10m\n      grace: 0s\n      deleteuntagged: true\n      window: \"22:00-04:30\"\n";

        var gc = ConfigYaml.Bind(yaml).Storage.Gc;

        Assert.Equal(new OnlineGcSettings
        {
            Enabled = true,
            Interval = TimeSpan.FromMinutes(10),
            Grace = TimeSpan.Zero,
            DeleteUntagged = true,
            Window = new DailyWindow(TimeSpan.FromHours(22), new TimeSpan(4, 30, 0)),
        }, gc);
    }

    [Fact]
    public void Load_Variables_Bound()
    {
        var gc = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_STORAGE_MAINTENANCE_GC_ENABLED", "true"), ("REGISTRY_STORAGE_MAINTENANCE_GC_GRACE", "5m"),
            ("REGISTRY_STORAGE_MAINTENANCE_GC_WINDOW", "1:00-6:00")).Storage.Gc;

        Assert.True(gc.Enabled);
        Assert.Equal(TimeSpan.FromMinutes(5), gc.Grace);
        Assert.Equal(new DailyWindow(TimeSpan.FromHours(1), TimeSpan.FromHours(6)), gc.Window);
    }

    [Theory]
    [InlineData("window", "01:00")]
    [InlineData("window", "01:00-01:00")]
    [InlineData("window", "25:00-06:00")]
    [InlineData("interval", "0s")]
    [InlineData("grace", "a while")]
    public void Load_BadValue_NamesKey(string key, string value)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + $"\n  maintenance:\n    gc:\n      {key}: \"{value}\"\n");

        Assert.Equal($"storage.maintenance.gc.{key}", error.Key);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01:00-06:00", "00:59", false, 1)]
    [InlineData("01:00-06:00", "01:00", true, 0)]
    [InlineData("01:00-06:00", "06:00", false, 19 * 60)]
    [InlineData("22:00-04:00", "23:30", true, 0)]
    [InlineData("22:00-04:00", "03:59", true, 0)]
    [InlineData("22:00-04:00", "12:00", false, 10 * 60)]
    public void Window_ContainsAndUntilOpen(string window, string now, bool inside, int minutesUntilOpen)
    {
        var parsed = DailyWindow.Parse(window)!;
        var time = TimeSpan.Parse(now, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(inside, parsed.Contains(time));
        Assert.Equal(TimeSpan.FromMinutes(minutesUntilOpen), parsed.UntilOpen(time));
    }
}
