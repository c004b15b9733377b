using Berth.Cli;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>Finding the serving berth in a /proc tree laid out as the kernel does (a folder per pid, NUL-separated cmdline).</summary>
public sealed class ServeProcessLocatorTests : IDisposable
{
    private readonly TempDirectory _proc = new("berth-proc");

    [Fact]
    public void Find_Pid1Serves_ItsConfigEvenWithOtherServers()
    {
        AddProcess(1, "berth", "serve", "--user", "1654:1654", "/my/config.yml");
        AddProcess(40, "berth", "serve", "/other.yml");

        Assert.Equal(new ServeInvocation(1, "/my/config.yml"), ServeProcessLocator.Find(_proc.Path));
    }

    [Fact]
    public void Find_InitIsTiniAndOneServer_ThatServer()
    {
        AddProcess(1, "/sbin/docker-init", "--", "/entrypoint.sh");
        AddProcess(7, "berth", "serve", "/etc/distribution/config.yml");
        AddProcess(9, "/bin/sh");
        Directory.CreateDirectory(_proc.Combine("self"));

        Assert.Equal(new ServeInvocation(7, "/etc/distribution/config.yml"), ServeProcessLocator.Find(_proc.Path));
    }

    [Fact]
    public void Find_TwoServersAndNeitherIsPid1_NullRatherThanAGuess()
    {
        AddProcess(1, "/sbin/init");
        AddProcess(7, "berth", "serve", "/a.yml");
        AddProcess(8, "berth", "serve", "/b.yml");

        Assert.Null(ServeProcessLocator.Find(_proc.Path));
    }

    [Fact]
    public void Find_RelativeConfig_RootedAtTheServersWorkingFolder()
    {
        AddProcess(1, "berth", "conf/config.yml");
        File.CreateSymbolicLink(_proc.Combine("1", "cwd"), "/srv/registry");

        Assert.Equal(new ServeInvocation(1, "/srv/registry/conf/config.yml"), ServeProcessLocator.Find(_proc.Path));
    }

    [Fact]
    public void Find_NoProcFolder_Null()
    {
        Assert.Null(ServeProcessLocator.Find(_proc.Combine("missing")));
    }

    public void Dispose() => _proc.Dispose();

    private void AddProcess(int pid, params string[] argv)
    {
        var folder = Directory.CreateDirectory(_proc.Combine(pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(folder.FullName, "cmdline"), string.Concat(argv.Select(argument => argument + "\0")));
    }
}
