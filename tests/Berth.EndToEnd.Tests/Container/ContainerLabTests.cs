using System.Net;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// The registry lab's lines with <c>berth</c> in place of <c>registry</c>, against a real dockerd. The only change:
/// ports are published on 127.0.0.1 and a free port (<c>-p 127.0.0.1:PORT:5000</c>), as every test server here is
/// loopback only; 127.0.0.1:PORT is an insecure registry for dockerd, as localhost:5000 is in the lab.
/// </summary>
[Collection(ContainerTestGroup.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerLabTests(ContainerFixture fixture) : ContainerTestBase(fixture)
{
    [Fact]
    public async Task Run_LabLine_AnswersV2AndPushRemovePullKeepsImage()
    {
        // docker run -d -p 5000:5000 --name registry registry:latest
        await using var registry = await RegistryContainer.StartAsync(Docker, arguments: []);
        using (var http = new HttpClient())
        {
            using var response = await http.GetAsync(new Uri(registry.BaseUri, "v2/"), Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("registry/2.0", Assert.Single(response.Headers.GetValues("Docker-Distribution-API-Version")));
        }

        await PushRemovePullAsync(registry.HostPort);
    }

    [Fact]
    public async Task NamedVolume_RemovedContainerReplaced_NewContainerServesEveryImageAndGarbageCollectKeepsThem()
    {
        var volume = "registry-data-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            // docker run -d -p 5000:5000 --name registry -v registry-data:/var/lib/registry registry
            string[] options = ["-v", volume + ":/var/lib/registry"];
            await using (var first = await RegistryContainer.StartAsync(Docker, options))
            {
                await PushAsync(first.HostPort, "labs/nginx:latest");
                await PushAsync(first.HostPort, "labs/other:v1");
                // Stopped cleanly, so its presence record goes with it: after `rm -f` (SIGKILL) garbage-collect would
                // refuse until the record is 30 s old.
                await Docker.RunAsync(["stop", first.Name], cancellationToken: Token);
                await Docker.RunAsync(["rm", first.Name], cancellationToken: Token);
            }

            // registry:2's offline collector, run from the image on the volume: nothing referenced may go.
            var gc = await Docker.RunAsync(["run", "--rm", "-v", volume + ":/var/lib/registry", ContainerFixture.Image,
                "garbage-collect", "/etc/docker/registry/config.yml"], cancellationToken: Token);
            Assert.Contains("blobs marked", gc.StandardOutput, StringComparison.Ordinal);

            await using var second = await RegistryContainer.StartAsync(Docker, options);
            foreach (var image in new[] { "labs/nginx:latest", "labs/other:v1" })
            {
                var reference = $"{second.HostPort}/{image}";
                await Docker.RunAsync(["pull", reference], cancellationToken: Token);
                Assert.Equal(Fixture.NginxId, await Docker.ImageIdAsync(reference, Token));
                await Docker.RunAsync(["rmi", reference], cancellationToken: Token);
            }
        }
        finally
        {
            await Docker.TryRunAsync(["volume", "rm", "-f", volume], cancellationToken: CancellationToken.None);
        }
    }

    [Fact]
    public async Task HostFolderWrittenByRegistry2_BerthContainerServesItPushesIntoItAndRegistry2ServesThat()
    {
        // registry:2 (Debian's docker-registry, as root like the registry image) fills a host folder: root's files.
        using var work = new TempDirectory("berth-container");
        var data = work.Combine("data");
        await using (var reference = await DockerRegistryProcess.StartAsync(data, Token))
        {
            var written = await PushAsync(reference.HostPort, "labs/nginx:latest");
            await Docker.RunAsync(["rmi", written], cancellationToken: Token);
        }

        // docker run -d -p 5000:5000 -v /srv/registry:/var/lib/registry berth: the old image, and a push into
        // repository folders root made, which the service user can only write because berth took them over.
        await using (var registry = await RegistryContainer.StartAsync(Docker, ["-v", data + ":/var/lib/registry"]))
        {
            var old = $"{registry.HostPort}/labs/nginx:latest";
            await Docker.RunAsync(["pull", old], cancellationToken: Token);
            Assert.Equal(Fixture.NginxId, await Docker.ImageIdAsync(old, Token));
            await Docker.RunAsync(["rmi", old], cancellationToken: Token);
            await Docker.RunAsync(["rmi", await PushAsync(registry.HostPort, "labs/nginx:v2")], cancellationToken: Token);
        }

        await using var again = await DockerRegistryProcess.StartAsync(data, Token);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(again.BaseUri, "v2/labs/nginx/manifests/v2"));
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HtpasswdEntrypoint_LabLine_PrintsBcryptLineThatVerifies()
    {
        // docker run --entrypoint htpasswd registry -Bbn moby gordon > auth/htpasswd
        using var work = new TempDirectory("berth-container");
        var file = await WriteHtpasswdAsync(work.Combine("auth"));

        var line = (await File.ReadAllTextAsync(file, Token)).Trim();
        Assert.StartsWith("moby:$2y$", line, StringComparison.Ordinal);
        var (right, _) = await BerthProcess.RunToEndAsync(["htpasswd", "-vb", file, "moby", "gordon"]);
        var (wrong, _) = await BerthProcess.RunToEndAsync(["htpasswd", "-vb", file, "moby", "not-gordon"]);
        Assert.Equal(0, right);
        Assert.NotEqual(0, wrong);
    }

    [Fact]
    public async Task TlsAndHtpasswd_LabLine_LoginPushPullAndAnonymousRefused()
    {
        using var work = new TempDirectory("berth-container");
        using var tls = await TlsMaterial.CreateAsync(work.Combine("certs"), Token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(work.Combine("certs/domain.key")));
        await WriteHtpasswdAsync(work.Combine("auth"));

        // docker run -d -p 5000:5000 -v $(pwd)/certs:/certs -v $(pwd)/auth:/auth -e ... registry
        string[] options =
        [
            "-v", work.Combine("certs") + ":/certs", "-v", work.Combine("auth") + ":/auth",
            "-e", "REGISTRY_AUTH=htpasswd", "-e", "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm",
            "-e", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd",
            "-e", "REGISTRY_HTTP_TLS_CERTIFICATE=/certs/domain.crt", "-e", "REGISTRY_HTTP_TLS_KEY=/certs/domain.key",
        ];
        await using var registry = await RegistryContainer.StartAsync(Docker, options, handler: tls.CreateHandler);
        tls.TrustInDocker(registry.HostPort);

        using (var http = new HttpClient(tls.CreateHandler()))
        {
            using var anonymous = await http.GetAsync(new Uri(registry.BaseUri, "v2/"), Token);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // The image's healthcheck line (no file named: PID 1's) reads the same REGISTRY_* variables: https, and 401
        // counts as an answer.
        var health = await Docker.TryRunAsync(["exec", registry.Name, "berth", "healthcheck"], cancellationToken: Token);
        Assert.True(health.Succeeded, health.Describe());
        Assert.Contains("GET https://127.0.0.1:5000/v2/ answered 401", health.StandardOutput, StringComparison.Ordinal);

        await Docker.RunAsync(["login", registry.HostPort, "-u", "moby", "-p", "gordon"], cancellationToken: Token);
        try
        {
            await PushRemovePullAsync(registry.HostPort);
        }
        finally
        {
            await Docker.TryRunAsync(["logout", registry.HostPort], cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>docker tag, push, rmi and pull of the lab's image through the registry at <paramref name="hostPort"/>.</summary>
    private async Task PushRemovePullAsync(string hostPort)
    {
        var target = await PushAsync(hostPort, "labs/nginx:latest");
        await Docker.RunAsync(["rmi", target], cancellationToken: Token);
        await Docker.RunAsync(["pull", target], cancellationToken: Token);
        Assert.Equal(Fixture.NginxId, await Docker.ImageIdAsync(target, Token));
        await Docker.RunAsync(["rmi", target], cancellationToken: Token);
    }

    private async Task<string> PushAsync(string hostPort, string image)
    {
        var target = $"{hostPort}/{image}";
        await Docker.RunAsync(["tag", "nginx", target], cancellationToken: Token);
        await Docker.RunAsync(["push", target], cancellationToken: Token);
        return target;
    }

    /// <summary>The lab's password file, made by the image's htpasswd: <c>auth/htpasswd</c> for moby / gordon.</summary>
    private async Task<string> WriteHtpasswdAsync(string authDirectory)
    {
        var result = await Docker.RunAsync(["run", "--rm", "--entrypoint", "htpasswd", ContainerFixture.Image, "-Bbn", "moby", "gordon"],
            cancellationToken: Token);
        Directory.CreateDirectory(authDirectory);
        var file = Path.Combine(authDirectory, "htpasswd");
        await File.WriteAllTextAsync(file, result.StandardOutput, Token);
        return file;
    }
}
