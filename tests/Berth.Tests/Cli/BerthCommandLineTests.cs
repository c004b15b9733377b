using Berth.Cli;
using Berth.Configuration;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>The command line in this process, with a host that records what serve hands it.</summary>
public sealed class BerthCommandLineTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private RegistryConfiguration? _served;

    [Fact]
    public async Task Serve_FileAndEnvironment_ReachTheHostMerged()
    {
        using var folder = new TempDirectory();
        var config = folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, "version: 0.1\nstorage:\n  inmemory:\ncolour: blue\n", TestContext.Current.CancellationToken);
        var commandLine = new BerthCommandLine(Record(exitCode: 0), new Dictionary<string, string> { ["REGISTRY_HTTP_ADDR"] = "127.0.0.1:6001" });

        var exitCode = await commandLine.InvokeAsync(["serve", config], _output, _error, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.Equal(StorageDriverKind.InMemory, _served?.Storage.Driver);
        Assert.Equal(6001, _served?.Http.ListenPort);
    }

    [Fact]
    public async Task Serve_NoConfigArgument_ServesTheDefaultConfiguration()
    {
        var commandLine = new BerthCommandLine(Record(exitCode: 0), new Dictionary<string, string>());

        await commandLine.InvokeAsync(["serve"], _output, _error, TestContext.Current.CancellationToken);

        Assert.Equal("/var/lib/registry", _served?.Storage.RootDirectory);
    }

    [Fact]
    public async Task Serve_HostExitCode_IsTheProcessExitCode()
    {
        var commandLine = new BerthCommandLine(Record(exitCode: 3), new Dictionary<string, string>());

        Assert.Equal(3, await commandLine.InvokeAsync(["serve"], _output, _error, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Serve_HostThrowsConfigurationException_OneLineAndExitOne()
    {
        RunRegistry unwritable = (_, _, _) => throw new ConfigurationException("storage.filesystem.rootdirectory", "/srv is not writable");
        var commandLine = new BerthCommandLine(unwritable, new Dictionary<string, string>());

        var exitCode = await commandLine.InvokeAsync(["serve"], _output, _error, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Equal("berth: configuration error: storage.filesystem.rootdirectory: /srv is not writable\n", _error.ToString());
    }

    [Fact]
    public async Task YamlPathAlone_IsServed()
    {
        var commandLine = new BerthCommandLine(Record(exitCode: 0), new Dictionary<string, string>());

        var exitCode = await commandLine.InvokeAsync(["/nonexistent/config.yml"], _output, _error, TestContext.Current.CancellationToken);

        // Served: the file is looked for (and missing), rather than "unrecognized command".
        Assert.Equal(1, exitCode);
        Assert.StartsWith("berth: configuration error: /nonexistent/config.yml: cannot read", _error.ToString(), StringComparison.Ordinal);
        Assert.Null(_served);
    }

    private RunRegistry Record(int exitCode) => (configuration, _, _) =>
    {
        _served = configuration;
        return Task.FromResult(exitCode);
    };
}
