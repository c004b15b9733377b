using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>The real berth executable, as a user or the container entrypoint runs it.</summary>
public sealed class BerthProcessCliTests
{
    private const string BadConfig = """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: /tmp/berth-never-used
          delete:
            enabled: maybe
        """;

    [Fact]
    public async Task Help_Root_ListsServeAndExitsZero()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("registry:2", output, StringComparison.Ordinal);
        Assert.Contains("serve", output, StringComparison.Ordinal);
        Assert.Contains("--version", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Serve_ExplainsTheConfigArgumentEnvironmentAndExamples()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve", "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("berth serve [<config>]", output, StringComparison.Ordinal);
        Assert.Contains("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", output, StringComparison.Ordinal);
        Assert.Contains("/var/lib/registry", output, StringComparison.Ordinal);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_PrintsHelpAndExitsZero()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync([]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsAVersionAndExitsZero()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["--version"]);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public async Task Serve_BadConfigFile_PrintsOneLineNamingTheKeyAndExitsOne()
    {
        using var folder = new TempDirectory();
        var config = folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, BadConfig, TestContext.Current.CancellationToken);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve", config]);

        Assert.Equal(1, exitCode);
        Assert.Equal(["berth: configuration error: storage.delete.enabled: expected true or false, got 'maybe'"], Lines(output));
    }

    [Fact]
    public async Task Serve_NoFileButConfigurationPathVariable_ReadsThatFile()
    {
        using var folder = new TempDirectory();
        var config = folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, BadConfig, TestContext.Current.CancellationToken);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve"], new Dictionary<string, string> { ["REGISTRY_CONFIGURATION_PATH"] = config });

        Assert.Equal(1, exitCode);
        Assert.Equal(["berth: configuration error: storage.delete.enabled: expected true or false, got 'maybe'"], Lines(output));
    }

    [Fact]
    public async Task GarbageCollect_NoFileAndNoConfigurationPathVariable_RefusedWithExitOne()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect"], new Dictionary<string, string> { ["REGISTRY_CONFIGURATION_PATH"] = "" });

        Assert.Equal(1, exitCode);
        Assert.Contains("REGISTRY_CONFIGURATION_PATH", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigPathAlone_BehavesLikeServe()
    {
        using var folder = new TempDirectory();
        var config = folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, BadConfig, TestContext.Current.CancellationToken);

        var (exitCode, output) = await BerthProcess.RunToEndAsync([config]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("berth: configuration error: storage.delete.enabled:", Assert.Single(Lines(output)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadVariable_NamesTheKeyItSets()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve"], new Dictionary<string, string> { ["REGISTRY_HTTP_ADDR"] = ":http" });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("berth: configuration error: http.addr: ", Assert.Single(Lines(output)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingConfigFile_NamesTheFileAndExitsOne()
    {
        using var folder = new TempDirectory();
        var config = folder.Combine("absent.yml");

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve", config]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"berth: configuration error: {config}: cannot read", Assert.Single(Lines(output)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsNonZero()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["frobnicate"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("frobnicate", output, StringComparison.Ordinal);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
