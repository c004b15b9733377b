using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// A dockerd with the default bridge, the offline base image (container/make-offline-base.sh), the Berth image built
/// by the documented command (container/build.sh) and the lab's stand-in <c>nginx</c>. Built once per test run.
/// </summary>
public sealed class ContainerFixture : IAsyncLifetime
{
    /// <summary>The image under test, named as the lab lines name <c>registry</c>.</summary>
    public const string Image = "berth";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private DockerDaemon? _daemon;

    public DockerDaemon Docker => _daemon ?? throw new InvalidOperationException("dockerd was not started");

    /// <summary>The id of the local <c>nginx</c> image pushed and pulled by the tests.</summary>
    public string NginxId { get; private set; } = "";

    /// <summary>The repository the tests were built from: the folder holding <c>container/build.sh</c>.</summary>
    public static string RepositoryRoot { get; } = Path.GetDirectoryName(Path.GetDirectoryName(RepositoryFiles.Find(Path.Combine("container", "build.sh"))))!;

    public async ValueTask InitializeAsync()
    {
        var token = TestContext.Current.CancellationToken;
        _daemon = await DockerDaemon.StartWithDefaultBridgeAsync(token);
        var options = new CommandOptions { Environment = Docker.ClientEnvironment(), Timeout = BuildTimeout, WorkingDirectory = RepositoryRoot };
        await CommandRunner.RunCheckedAsync("bash", ["container/make-offline-base.sh", "berth-base:local"], options, token);
        await CommandRunner.RunCheckedAsync("bash", ["container/build.sh", "--base", "berth-base:local", "-t", Image], options, token);
        await BusyboxImage.BuildAsync(Docker, "nginx", token);
        NginxId = await Docker.ImageIdAsync("nginx", token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }
}
