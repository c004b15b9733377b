using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>ui.enabled</c> and <c>ui.path</c>: the page is on at <c>/</c> unless told otherwise.</summary>
public sealed class UiConfigurationTests
{
    [Fact]
    public void Load_Absent_OnAtRoot()
    {
        var ui = ConfigYaml.Bind(ConfigYaml.Minimal).Ui;

        Assert.True(ui.Enabled);
        Assert.Equal("/", ui.Path);
    }

    [Fact]
    public void Load_DisabledByVariable_Off()
    {
        Assert.False(ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_UI_ENABLED", "false")).Ui.Enabled);
    }

    [Theory]
    [InlineData("/browse", "/browse/")]
    [InlineData("/browse/", "/browse/")]
    [InlineData("/ui/", "/ui/")]
    public void Load_Path_EndsWithSlash(string path, string expected)
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nui:\n  path: " + path + "\n");

        Assert.Equal(expected, configuration.Ui.Path);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("browse")]
    [InlineData("/v2/")]
    [InlineData("/ui/api/")]
    [InlineData("/a/../b")]
    public void Load_PathNotUsable_NamesKey(string path)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_UI_PATH", path));

        Assert.Equal("ui.path", error.Key);
    }

    [Fact]
    public void Load_UnknownKeyInUi_IsAWarning()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nui:\n  theme: dark\n");

        Assert.Contains(warnings, warning => warning.Contains("ui.theme", StringComparison.Ordinal));
    }
}
