namespace Berth.TestKit;

/// <summary>
/// A private dockerd from Debian's docker.io: own data root, exec root and unix socket, no bridge (unless asked for)
/// and no iptables (nothing touches the host's firewall). The docker CLI is pointed at it through DOCKER_HOST and a private
/// DOCKER_CONFIG. Dispose stops the daemon (and the containerd it started) and removes its folder.
/// </summary>
public sealed class DockerDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _directory;
    private readonly BackgroundProcess _process;

    private DockerDaemon(TempDirectory directory, BackgroundProcess process, string storageDriver)
    {
        _directory = directory;
        _process = process;
        StorageDriver = storageDriver;
        Host = "unix://" + directory.Combine("docker.sock");
    }

    /// <summary>The DOCKER_HOST value of this daemon.</summary>
    public string Host { get; }

    public string StorageDriver { get; }

    /// <summary>The socket of the containerd this dockerd started (under its exec root), for <c>ctr --address</c>.</summary>
    public string ContainerdAddress => _directory.Combine("exec", "containerd", "containerd.sock");

    /// <summary>What dockerd logged: worth printing when a push or pull fails.</summary>
    public string Log => _process.Output;

    /// <summary>
    /// Starts dockerd with overlay2, falling back to vfs where overlay2 cannot mount (CI inside a container).
    /// </summary>
    public static Task<DockerDaemon> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(defaultBridge: false, cancellationToken);

    /// <summary>
    /// Starts dockerd as <see cref="StartAsync(CancellationToken)"/> does, but with its default bridge (docker0), which
    /// <c>docker run -p</c> needs; iptables stay off, so docker-proxy forwards the published ports. Only one daemon
    /// on the machine can own docker0: callers must not run two of these at once.
    /// </summary>
    public static Task<DockerDaemon> StartWithDefaultBridgeAsync(CancellationToken cancellationToken = default) =>
        StartAsync(defaultBridge: true, cancellationToken);

    /// <summary>Starts dockerd as <see cref="StartAsync(CancellationToken)"/> does, with more daemon options (<c>--registry-mirror URL</c>).</summary>
    public static Task<DockerDaemon> StartWithOptionsAsync(IReadOnlyList<string> options, CancellationToken cancellationToken = default) =>
        StartAsync(defaultBridge: false, cancellationToken, options);

    private static async Task<DockerDaemon> StartAsync(bool defaultBridge, CancellationToken cancellationToken, IReadOnlyList<string>? options = null)
    {
        try
        {
            return await StartAsync("overlay2", defaultBridge, options ?? [], cancellationToken);
        }
        catch (InvalidOperationException overlayFailure)
        {
            try
            {
                return await StartAsync("vfs", defaultBridge, options ?? [], cancellationToken);
            }
            catch (InvalidOperationException vfsFailure)
            {
                throw new InvalidOperationException($"dockerd did not start with overlay2:\n{overlayFailure.Message}\n\nnor with vfs:\n{vfsFailure.Message}");
            }
        }
    }

    /// <summary>Runs the docker CLI against this daemon; throws with the CLI output and the daemon log on failure.</summary>
    public async Task<CommandResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var result = await TryRunAsync(arguments, timeout, cancellationToken);
        return result.Succeeded ? result : throw new InvalidOperationException(
            $"docker failed:\n{result.Describe()}\n--- dockerd log (last lines) ---\n{LastLines(Log, 40)}");
    }

    /// <summary>Runs the docker CLI against this daemon; a non-zero exit code is returned.</summary>
    public Task<CommandResult> TryRunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CommandRunner.RunAsync(Tools.DockerCli, arguments, CliOptions(timeout), cancellationToken);

    /// <summary>Runs the docker CLI with <paramref name="standardInput"/> (e.g. <c>login --password-stdin</c>); a failure is returned.</summary>
    public Task<CommandResult> TryRunAsync(IEnumerable<string> arguments, byte[] standardInput, CancellationToken cancellationToken = default) =>
        CommandRunner.RunAsync(Tools.DockerCli, arguments, CliOptions(null, standardInput), cancellationToken);

    /// <summary>The image id (<c>sha256:...</c>) of a local image.</summary>
    public async Task<string> ImageIdAsync(string image, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["image", "inspect", "--format", "{{.Id}}", image], cancellationToken: cancellationToken);
        return result.StandardOutput.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.DisposeAsync();
        }
        finally
        {
            await UnmountLeftoversAsync();
            _directory.Dispose();
        }
    }

    private static async Task<DockerDaemon> StartAsync(string storageDriver, bool defaultBridge, IReadOnlyList<string> options,
        CancellationToken cancellationToken)
    {
        var directory = new TempDirectory("berth-dockerd");
        string[] arguments =
        [
            "--iptables=false", "--ip6tables=false", "--ip-masq=false", .. (defaultBridge ? Array.Empty<string>() : ["--bridge=none"]),
            "--storage-driver=" + storageDriver,
            "--data-root", directory.Combine("data"),
            "--exec-root", directory.Combine("exec"),
            "--pidfile", directory.Combine("docker.pid"),
            "-H", "unix://" + directory.Combine("docker.sock"),
            .. options,
        ];
        var process = BackgroundProcess.Start(Tools.Dockerd, arguments);
        var daemon = new DockerDaemon(directory, process, storageDriver);
        try
        {
            Directory.CreateDirectory(directory.Combine("config"));
            await File.WriteAllTextAsync(directory.Combine("config", "config.json"), "{}", cancellationToken);
            await Readiness.WaitAsync(process, "dockerd", StartTimeout,
                async ct => (await daemon.TryRunAsync(["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(20), ct)).Succeeded,
                cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The variables that point a docker CLI (or a script that runs one) at this daemon with its private client
    /// config: no credential helpers or proxies of the machine leak into the tests.
    /// </summary>
    public Dictionary<string, string> ClientEnvironment() => new()
    {
        ["DOCKER_HOST"] = Host,
        ["DOCKER_CONFIG"] = _directory.Combine("config"),
        ["DOCKER_BUILDKIT"] = "0",
    };

    private CommandOptions CliOptions(TimeSpan? timeout, byte[]? standardInput = null) => new()
    {
        StandardInput = standardInput,
        Timeout = timeout ?? TimeSpan.FromMinutes(3),
        Environment = ClientEnvironment(),
    };

    /// <summary>Overlay mounts that a killed daemon left behind would keep the folder from being deleted.</summary>
    private async Task UnmountLeftoversAsync()
    {
        var mounts = await File.ReadAllLinesAsync("/proc/mounts");
        var mountPoints = mounts
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 1 && fields[1].StartsWith(_directory.Path + "/", StringComparison.Ordinal))
            .Select(fields => fields[1])
            .OrderByDescending(path => path.Length);
        foreach (var mountPoint in mountPoints)
        {
            await CommandRunner.RunAsync("umount", ["-l", mountPoint]);
        }
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
