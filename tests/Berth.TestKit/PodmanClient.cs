namespace Berth.TestKit;

/// <summary>
/// podman with private storage (vfs driver, own --root and --runroot in a temp folder), so tests never touch the
/// machine's images and need no overlay support. Registries are plain HTTP: every pull and push sets --tls-verify=false.
/// </summary>
/// <param name="registriesConf">A <c>registries.conf</c> to use instead of the machine's (mirrors), if any.</param>
public sealed class PodmanClient(string? registriesConf = null) : IDisposable
{
    private readonly TempDirectory _directory = new("berth-podman");

    /// <summary>Pulls <paramref name="image"/> (HOST:PORT/name:tag) from a plain-HTTP registry.</summary>
    public Task<CommandResult> PullAsync(string image, CancellationToken cancellationToken = default) =>
        RunAsync(["pull", "--quiet", "--tls-verify=false", image], cancellationToken);

    public Task<CommandResult> PushAsync(string image, CancellationToken cancellationToken = default) =>
        RunAsync(["push", "--quiet", "--tls-verify=false", image], cancellationToken);

    public Task<CommandResult> TagAsync(string source, string target, CancellationToken cancellationToken = default) =>
        RunAsync(["tag", source, target], cancellationToken);

    public Task<CommandResult> RemoveImageAsync(string image, CancellationToken cancellationToken = default) =>
        RunAsync(["rmi", image], cancellationToken);

    /// <summary>The full image id (hex) of a local image.</summary>
    public async Task<string> ImageIdAsync(string image, CancellationToken cancellationToken = default) =>
        (await RunAsync(["image", "inspect", "--format", "{{.Id}}", image], cancellationToken)).StandardOutput.Trim();

    /// <summary>Whether a local image of that name exists.</summary>
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) =>
        (await TryRunAsync(["image", "exists", image], cancellationToken)).Succeeded;

    public Task<CommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        CommandRunner.RunCheckedAsync(Tools.Podman, GlobalOptions().Concat(arguments), Options(), cancellationToken);

    public Task<CommandResult> TryRunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        CommandRunner.RunAsync(Tools.Podman, GlobalOptions().Concat(arguments), Options(), cancellationToken);

    public void Dispose() => _directory.Dispose();

    private string[] GlobalOptions() =>
    [
        "--storage-driver", "vfs",
        "--root", _directory.Combine("root"),
        "--runroot", _directory.Combine("runroot"),
        "--tmpdir", _directory.Combine("tmp"),
        "--events-backend", "file",
    ];

    private CommandOptions Options()
    {
        Directory.CreateDirectory(_directory.Combine("config"));
        Directory.CreateDirectory(_directory.Combine("tmp"));
        File.WriteAllText(_directory.Combine("config", "config.json"), "{}");
        return new CommandOptions
        {
            Timeout = TimeSpan.FromMinutes(3),
            // podman reads DOCKER_CONFIG when set; a private, valid one keeps the machine's settings out.
            Environment = registriesConf is null
                ? new() { ["DOCKER_CONFIG"] = _directory.Combine("config"), ["TMPDIR"] = _directory.Combine("tmp") }
                : new() { ["DOCKER_CONFIG"] = _directory.Combine("config"), ["TMPDIR"] = _directory.Combine("tmp"), ["CONTAINERS_REGISTRIES_CONF"] = registriesConf },
        };
    }
}
