using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Mirror;

/// <summary>
/// One berth mirroring two upstreams (docker-registry processes playing docker.io, anonymous, and ghcr.io, behind
/// htpasswd) as real clients use a mirror: dockerd's <c>--registry-mirror</c> for Docker Hub, containerd's
/// <c>hosts.toml</c> for both (through <c>?ns=</c>), podman's <c>registries.conf</c> mirror with a path prefix. Then the
/// Docker Hub upstream stops, and dockerd still pulls what berth cached.
/// </summary>
[Collection(DockerTestGroup.Name)]
public sealed class MirrorClientTests(DockerFixture fixture)
{
    private const string User = "mirror";
    private const string Password = "up-9a1d";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DockerdContainerdAndPodman_PullThroughOneBerth_AndDockerdAgainWithTheUpstreamDown()
    {
        using var work = new TempDirectory("berth-e2e-mirror");
        await using var hub = await DockerRegistryProcess.StartAsync(work.Combine("hub"), Token);
        var htpasswd = await CommandRunner.RunCheckedAsync("dotnet", [BerthProcess.BerthDll, "htpasswd", "-Bbn", User, Password], cancellationToken: Token);
        await File.WriteAllTextAsync(work.Combine("htpasswd"), htpasswd.StandardOutput.Trim() + "\n", Token);
        await using var ghcr = await DockerRegistryProcess.StartWithAuthAsync(work.Combine("ghcr"), $"""
              htpasswd:
                realm: upstream
                path: {work.Combine("htpasswd")}
            """, Token);

        // A real image (busybox), as Docker Hub's library/nginx and as ghcr.io's org/tool.
        var imageId = await fixture.BuildNginxAsync();
        await fixture.Docker.RunAsync(["tag", "nginx", $"{hub.HostPort}/library/nginx:latest"], cancellationToken: Token);
        await fixture.Docker.RunAsync(["push", $"{hub.HostPort}/library/nginx:latest"], cancellationToken: Token);
        await Skopeo.RunAsync(["copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", $"{User}:{Password}",
            $"docker://{hub.HostPort}/library/nginx:latest", $"docker://{ghcr.HostPort}/org/tool:2"], Token);

        var config = work.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {work.Combine("root")}
            proxy:
              remotes:
                - name: docker.io
                  url: {hub.BaseUri}
                - name: ghcr.io
                  url: {ghcr.BaseUri}
                  prefix: ghcr
                  username: {User}
                  password: {Password}
            """, Token);
        await using var berth = await BerthProcess.StartAsync(work.Combine("root"), configFile: config, cancellationToken: Token);
        await using var mirrored = await DockerDaemon.StartWithOptionsAsync(["--registry-mirror", berth.BaseUri.ToString()], Token);

        // containerd: a hosts.toml per registry, both pointing at berth, which tells them apart by ?ns=.
        foreach (var registry in (string[])["docker.io", "ghcr.io"])
        {
            Directory.CreateDirectory(work.Combine("hosts", registry));
            await File.WriteAllTextAsync(work.Combine("hosts", registry, "hosts.toml"), $"""
                server = "https://{(registry == "docker.io" ? "registry-1.docker.io" : registry)}"

                [host."http://{berth.HostPort}"]
                  capabilities = ["pull", "resolve"]
                """, Token);
        }

        foreach (var image in (string[])["docker.io/library/nginx:latest", "ghcr.io/org/tool:2"])
        {
            await CtrAsync(mirrored, ["images", "pull", "--hosts-dir", work.Combine("hosts"), image]);
        }

        var listed = await CtrAsync(mirrored, ["images", "list", "--quiet"]);
        Assert.Contains("docker.io/library/nginx:latest", listed, StringComparison.Ordinal);
        Assert.Contains("ghcr.io/org/tool:2", listed, StringComparison.Ordinal);

        // podman: a registries.conf mirror of ghcr.io under berth's ghcr/ prefix.
        var registriesConf = work.Combine("registries.conf");
        await File.WriteAllTextAsync(registriesConf, $"""
            [[registry]]
            prefix = "ghcr.io"
            location = "ghcr.io"

            [[registry.mirror]]
            location = "{berth.HostPort}/ghcr"
            insecure = true
            """, Token);
        using (var podman = new PodmanClient(registriesConf))
        {
            await podman.RunAsync(["pull", "--quiet", "ghcr.io/org/tool:2"], Token);
            Assert.Equal(imageId["sha256:".Length..], await podman.ImageIdAsync("ghcr.io/org/tool:2", Token));
        }

        await mirrored.RunAsync(["pull", "nginx"], cancellationToken: Token);
        Assert.Equal(imageId, await mirrored.ImageIdAsync("nginx", Token));

        await hub.StopAsync();
        await mirrored.RunAsync(["rmi", "nginx"], cancellationToken: Token);
        await mirrored.RunAsync(["pull", "nginx"], cancellationToken: Token);
        Assert.Equal(imageId, await mirrored.ImageIdAsync("nginx", Token));
        Assert.Contains("served from the cache without the upstream's word", berth.Output, StringComparison.Ordinal);
    }

    private static async Task<string> CtrAsync(DockerDaemon daemon, IEnumerable<string> arguments)
    {
        var result = await CommandRunner.RunCheckedAsync(Tools.Require("ctr", "containerd"),
            ["--address", daemon.ContainerdAddress, "--namespace", "berth-mirror", .. arguments],
            new CommandOptions { Timeout = TimeSpan.FromMinutes(3) }, Token);
        return result.StandardOutput;
    }
}
