using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>http.draintimeout</c> in Go's duration syntax, as registry:2 reads it.</summary>
public sealed class DrainTimeoutTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("60s", 60_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("300ms", 300)]
    [InlineData(".5s", 500)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("1500000us", 1_500)]
    [InlineData("2000000000ns", 2_000)]
    public void TryParse_GoDuration_GivesMilliseconds(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("5sec")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("5s ")]
    [InlineData("99999999999999999999h")]
    public void TryParse_NotADuration_Refused(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Fact]
    public void Load_Absent_FiveSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ConfigYaml.Bind(ConfigYaml.Minimal).Http.DrainTimeout);
    }

    [Fact]
    public void Load_FromFileAndEnvironment_EnvironmentWins()
    {
        var yaml = ConfigYaml.Minimal + "\nhttp:\n  draintimeout: 60s\n";

        Assert.Equal(TimeSpan.FromSeconds(60), ConfigYaml.Bind(yaml).Http.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), ConfigYaml.Bind(yaml, ("REGISTRY_HTTP_DRAINTIMEOUT", "2s")).Http.DrainTimeout);
    }

    [Fact]
    public void Load_BadDuration_NamesKeyAndValue()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nhttp:\n  draintimeout: soon\n");

        Assert.Equal("http.draintimeout", error.Key);
        Assert.Contains("'soon'", error.Message, StringComparison.Ordinal);
    }
}
