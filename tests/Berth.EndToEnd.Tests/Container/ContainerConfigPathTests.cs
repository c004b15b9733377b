using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// The image's two config paths, registry:3's <c>/etc/distribution/config.yml</c> and registry:2's
/// <c>/etc/docker/registry/config.yml</c>, and a path of one's own given as the container's argument: each time the
/// mounted file is served (its port and storage root, not the image's), and the image's HEALTHCHECK, which names no
/// file, probes that port.
/// </summary>
[Collection(ContainerTestGroup.Name)]
public sealed class ContainerConfigPathTests(ContainerFixture fixture) : ContainerTestBase(fixture)
{
    private const int Port = 5001;
    private const string StorageRoot = "/srv/berth";

    /// <param name="mount">"file": the config file is mounted at <paramref name="target"/>; "folder": a folder holding it as config.yml.</param>
    /// <param name="target">Where the file or folder is mounted in the container.</param>
    /// <param name="served">The path berth says it loaded (a file mounted at registry:2's path lands on the link's target).</param>
    /// <param name="arguments">The container's arguments.</param>
    [Theory]
    [InlineData("file", "/etc/distribution/config.yml", "/etc/distribution/config.yml")]
    [InlineData("file", "/etc/docker/registry/config.yml", "/etc/distribution/config.yml")]
    [InlineData("folder", "/etc/docker/registry", "/etc/docker/registry/config.yml")]
    [InlineData("folder", "/config", "/config/config.yml", "/config/config.yml")]
    public async Task Run_MountedConfig_ServesItsPortAndRootAndHealthcheckProbesIt(string mount, string target, string served,
        params string[] arguments)
    {
        using var work = new TempDirectory("berth-container");
        var folder = await WriteConfigAsync(work);
        var data = Directory.CreateDirectory(work.Combine("data")).FullName;
        var source = mount == "file" ? Path.Combine(folder, "config.yml") : folder;

        await using var registry = await RegistryContainer.StartAsync(Docker,
            ["-v", $"{source}:{target}:ro", "-v", $"{data}:{StorageRoot}", "--health-interval", "1s"], arguments, containerPort: Port);

        Assert.Contains("Configuration loaded from " + served, await registry.LogsAsync(), StringComparison.Ordinal);
        var image = $"{registry.HostPort}/labs/nginx:latest";
        await Docker.RunAsync(["tag", "nginx", image], cancellationToken: Token);
        await Docker.RunAsync(["push", image], cancellationToken: Token);
        await Docker.RunAsync(["rmi", image], cancellationToken: Token);
        Assert.True(Directory.Exists(Path.Combine(data, "docker/registry/v2/repositories/labs/nginx/_manifests/tags/latest")),
            "the push did not land under the configured storage root");

        // The healthcheck as docker runs it (as root, no file named): the served file's port, read from PID 1.
        var health = await Docker.RunAsync(["exec", registry.Name, "berth", "healthcheck"], cancellationToken: Token);
        Assert.Contains($"GET http://127.0.0.1:{Port}/v2/ answered 200", health.StandardOutput, StringComparison.Ordinal);
        await registry.WaitUntilHealthyAsync();
    }

    /// <summary>The image's default config.yml with another port and storage root, in a folder the service user can read.</summary>
    private static async Task<string> WriteConfigAsync(TempDirectory work)
    {
        var yaml = (await File.ReadAllTextAsync(Path.Combine(ContainerFixture.RepositoryRoot, "src/Berth/Configuration/default-config.yml"), Token))
            .Replace("addr: :5000", $"addr: :{Port}", StringComparison.Ordinal)
            .Replace("rootdirectory: /var/lib/registry", "rootdirectory: " + StorageRoot, StringComparison.Ordinal);
        Assert.Contains(StorageRoot, yaml, StringComparison.Ordinal);
        var folder = Directory.CreateDirectory(work.Combine("config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "config.yml"), yaml, Token);
        return folder;
    }
}
