using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>One private dockerd for every docker test (it takes seconds to start); stopped after the last one.</summary>
public sealed class DockerFixture : IAsyncLifetime
{
    private DockerDaemon? _daemon;

    public DockerDaemon Docker => _daemon ?? throw new InvalidOperationException("dockerd was not started");

    public async ValueTask InitializeAsync() => _daemon = await DockerDaemon.StartAsync(TestContext.Current.CancellationToken);

    /// <summary>Builds a fresh local <c>nginx</c> (new content each time) and returns its image id.</summary>
    public async Task<string> BuildNginxAsync()
    {
        await BusyboxImage.BuildAsync(Docker, "nginx", TestContext.Current.CancellationToken);
        return await Docker.ImageIdAsync("nginx", TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }
}
