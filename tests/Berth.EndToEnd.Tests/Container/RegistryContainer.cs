using System.Diagnostics;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// A Berth container started the lab's way, <c>docker run -d -p PORT:5000 [options] berth [arguments]</c>, with the port
/// published on 127.0.0.1 only and a free port picked at run time. Start waits until <c>/v2/</c> answers; dispose
/// writes the container's log to the test output and removes it (<c>docker rm -f</c>).
/// </summary>
internal sealed class RegistryContainer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly DockerDaemon _docker;

    private RegistryContainer(DockerDaemon docker, string name, int port, bool tls, TimeSpan startedIn)
    {
        _docker = docker;
        Name = name;
        Port = port;
        BaseUri = new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}/");
        StartedIn = startedIn;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image references spell the registry.</summary>
    public string HostPort => $"127.0.0.1:{Port}";

    public Uri BaseUri { get; }

    /// <summary>From <c>docker run</c> to the first answer to GET <c>/v2/</c>.</summary>
    public TimeSpan StartedIn { get; }

    /// <param name="docker">The daemon (with its default bridge).</param>
    /// <param name="options">docker run options between <c>-p</c> and the image (-v, -e, --health-interval).</param>
    /// <param name="arguments">The arguments after the image (the entrypoint's).</param>
    /// <param name="handler">A handler trusting the server's certificate when it serves HTTPS; null for HTTP.</param>
    public static async Task<RegistryContainer> StartAsync(DockerDaemon docker, IReadOnlyList<string>? options = null,
        IReadOnlyList<string>? arguments = null, Func<HttpMessageHandler>? handler = null, int containerPort = 5000)
    {
        var token = TestContext.Current.CancellationToken;
        for (var attempt = 1; ; attempt++)
        {
            var name = "berth-test-" + Guid.NewGuid().ToString("N")[..12];
            var port = FreePort.Next();
            var clock = Stopwatch.StartNew();
            var run = await docker.TryRunAsync(
                ["run", "-d", "-p", $"127.0.0.1:{port}:{containerPort}", "--name", name, .. options ?? [], ContainerFixture.Image, .. arguments ?? []],
                cancellationToken: token);
            var container = new RegistryContainer(docker, name, port, handler is not null, TimeSpan.Zero);
            if (!run.Succeeded)
            {
                await container.DisposeAsync();
                // Another process took the free port between the pick and the bind: pick another.
                if (attempt < 3 && run.StandardError.Contains("address already in use", StringComparison.Ordinal))
                {
                    continue;
                }

                throw new CommandFailedException(run);
            }

            try
            {
                await container.WaitUntilAnswersAsync(handler, token);
                return new RegistryContainer(docker, name, port, handler is not null, clock.Elapsed);
            }
            catch
            {
                await container.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary><c>docker logs</c>: stdout and stderr of the container.</summary>
    public async Task<string> LogsAsync()
    {
        var logs = await _docker.TryRunAsync(["logs", Name]);
        return logs.StandardOutput + logs.StandardError;
    }

    /// <summary>One field of <c>docker inspect</c>, by Go template.</summary>
    public async Task<string> InspectAsync(string format) =>
        (await _docker.RunAsync(["inspect", "--format", format, Name], cancellationToken: TestContext.Current.CancellationToken)).StandardOutput.Trim();

    /// <summary>
    /// Polls <c>docker inspect</c> until the image's HEALTHCHECK reports healthy; fails on unhealthy or after a minute.
    /// Start the container with a short <c>--health-interval</c>: the image's 30 s would make this slow.
    /// </summary>
    public async Task WaitUntilHealthyAsync()
    {
        var token = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        string status;
        while ((status = await InspectAsync("{{.State.Health.Status}}")) != "healthy" && clock.Elapsed < StartTimeout)
        {
            Assert.NotEqual("unhealthy", status);
            await Task.Delay(200, token);
        }

        Assert.Equal("healthy", status);
    }

    public async ValueTask DisposeAsync()
    {
        var logs = await LogsAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"--- docker logs {Name} ---\n{logs}");
        await _docker.TryRunAsync(["rm", "-f", Name]);
    }

    private async Task WaitUntilAnswersAsync(Func<HttpMessageHandler>? handler, CancellationToken cancellationToken)
    {
        using var http = handler is null ? new HttpClient() : new HttpClient(handler(), disposeHandler: true);
        http.Timeout = TimeSpan.FromSeconds(5);
        var clock = Stopwatch.StartNew();
        for (var polls = 1; !await Readiness.AnswersV2Async(http, BaseUri, cancellationToken); polls++)
        {
            // Asking docker whether the container still runs costs more than a poll: only now and then.
            var exited = polls % 50 == 0 && await InspectAsync("{{.State.Running}}") != "true";
            if (exited || clock.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"{Name} did not answer on {BaseUri}:\n{await LogsAsync()}");
            }

            // A poll interval, not a guess at how long startup takes: short, because the start time is measured.
            await Task.Delay(10, cancellationToken);
        }
    }
}
