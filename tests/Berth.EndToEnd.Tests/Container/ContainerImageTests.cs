using System.Diagnostics;
using System.Globalization;
using System.Net;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// What the image promises beyond the lab: registry:2's metadata, a non-root user, a working HEALTHCHECK, a clean
/// stop inside docker stop's 10 s (with an upload in flight), the entrypoint's arguments, and its size and start time.
/// </summary>
[Collection(ContainerTestGroup.Name)]
public sealed class ContainerImageTests(ContainerFixture fixture) : ContainerTestBase(fixture)
{
    [Fact]
    public async Task Image_Metadata_AsRegistry2WithServiceUserAndHealthcheck()
    {
        var config = await InspectImageAsync(
            "{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{json .Config.Cmd}}|{{json .Config.Entrypoint}}|{{.Config.User}}|{{json .Config.Healthcheck.Test}}");
        var environment = await InspectImageAsync("{{json .Config.Env}}");

        // No USER, as registry:2: the entrypoint starts berth as root, which drops to BERTH_USER before serving. No CMD:
        // without an argument the entrypoint serves whichever of the two config paths is in use.
        Assert.Equal(
            """{"5000/tcp":{}}|{"/var/lib/registry":{}}|[]|["/entrypoint.sh"]||["CMD","/app/berth","healthcheck"]""", config);
        Assert.Contains("\"BERTH_USER=1654:1654\"", environment, StringComparison.Ordinal);
        Assert.Contains("\"OTEL_TRACES_EXPORTER=none\"", environment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Default_ServesAsNonRootWithoutCapabilitiesAndBecomesHealthy()
    {
        // The image's own HEALTHCHECK command, polled every second instead of every 30 s to keep the test short.
        await using var registry = await RegistryContainer.StartAsync(Docker, ["--health-interval", "1s"]);

        // docker top runs the host's ps on the container's processes: the user the kernel sees, not what the image says.
        var top = await Docker.RunAsync(["top", registry.Name, "-o", "pid,uid,comm"], cancellationToken: Token);
        var berth = top.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.EndsWith("berth", StringComparison.Ordinal));
        Assert.Equal("1654", berth.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

        // Real, effective and saved ids all the user's, and no capability left: root cannot be regained.
        var process = (await Docker.RunAsync(["exec", registry.Name, "cat", "/proc/1/status"], cancellationToken: Token)).StandardOutput;
        Assert.Contains("Uid:\t1654\t1654\t1654\t1654\n", process, StringComparison.Ordinal);
        Assert.Contains("Gid:\t1654\t1654\t1654\t1654\n", process, StringComparison.Ordinal);
        Assert.Contains("CapEff:\t0000000000000000\n", process, StringComparison.Ordinal);
        Assert.Contains("CapPrm:\t0000000000000000\n", process, StringComparison.Ordinal);
        await registry.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task Run_Default_ServesTheWebPageFromTheNativeExecutable()
    {
        await using var registry = await RegistryContainer.StartAsync(Docker);
        using var http = new HttpClient { BaseAddress = registry.BaseUri };

        // The Native AOT executable holds the page's assets as resources, and its JSON is written without reflection.
        using var page = await http.GetAsync("/", Token);
        using var script = await http.GetAsync("/ui/assets/app.js", Token);
        using var session = await http.GetAsync("/ui/api/session", Token);

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/ui/assets/app.js", await page.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("textContent", await script.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("\"auth\":\"none\"", await session.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/distribution/config.yml")]
    [InlineData("the built-in default configuration", "serve")]
    [InlineData("/etc/docker/registry/config.yml", "/etc/docker/registry/config.yml")]
    [InlineData("/etc/docker/registry/config.yml", "serve", "/etc/docker/registry/config.yml")]
    public async Task Run_EntrypointArguments_ServeThatConfiguration(string configuration, params string[] arguments)
    {
        await using var registry = await RegistryContainer.StartAsync(Docker, arguments: arguments);
        Assert.Contains("Configuration loaded from " + configuration, await registry.LogsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_PrintsBerthUsage()
    {
        var help = await Docker.RunAsync(["run", "--rm", ContainerFixture.Image, "help"], cancellationToken: Token);
        Assert.Contains("garbage-collect", help.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConfigFileAndRegistryVariable_BothApply()
    {
        using var work = new TempDirectory("berth-container");
        var yaml = (await File.ReadAllTextAsync(Path.Combine(ContainerFixture.RepositoryRoot, "src/Berth/Configuration/default-config.yml"), Token))
            .Replace("addr: :5000", "addr: :5001", StringComparison.Ordinal);
        // A folder made as mkdir makes it (0755), readable by the image's non-root user; the temp folder itself is 0700.
        var folder = Directory.CreateDirectory(work.Combine("config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "config.yml"), yaml, Token);

        await using var registry = await RegistryContainer.StartAsync(Docker,
            ["-v", folder + ":/config", "-e", "REGISTRY_STORAGE_DELETE_ENABLED=true"], ["/config/config.yml"], containerPort: 5001);

        // Deletion is on (the variable), on port 5001 (the file): DELETE of an unknown manifest is 404, not 405.
        using var http = new HttpClient();
        using var delete = await http.DeleteAsync(new Uri(registry.BaseUri, "v2/labs/nginx/manifests/sha256:" + new string('0', 64)), Token);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    [Fact]
    public async Task Stop_UploadInFlight_ExitsCleanlyWithinDockerStopTimeout()
    {
        await using var registry = await RegistryContainer.StartAsync(Docker);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var start = await http.PostAsync(new Uri(registry.BaseUri, "v2/labs/big/blobs/uploads/"), null, Token);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var release = new TaskCompletionSource();
        using var body = new StalledContent(1 << 20, release.Task);
        var upload = http.PatchAsync(new Uri(registry.BaseUri, start.Headers.Location!.ToString().TrimStart('/')), body, Token);
        await body.Sent;

        var clock = Stopwatch.StartNew();
        await Docker.RunAsync(["stop", registry.Name], cancellationToken: Token);
        clock.Stop();
        release.SetResult();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => upload);

        TestContext.Current.TestOutputHelper?.WriteLine($"docker stop with an upload in flight took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"docker stop took {clock.Elapsed}");
        Assert.Equal("0", await registry.InspectAsync("{{.State.ExitCode}}"));
    }

    [Fact]
    public async Task Image_SizeAndStartTime_Reported()
    {
        var size = long.Parse(await InspectImageAsync("{{.Size}}"), CultureInfo.InvariantCulture);
        var starts = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            await using var registry = await RegistryContainer.StartAsync(Docker);
            starts.Add(registry.StartedIn);
        }

        starts.Sort();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"image size: {size / 1e6:F1} MB");
        output?.WriteLine($"docker run to first answer of /v2/: median {starts[1].TotalMilliseconds:F0} ms of "
            + string.Join(", ", starts.Select(s => $"{s.TotalMilliseconds:F0} ms")));
        // The aim; the start time is only reported: timing on a shared machine is no test.
        Assert.True(size < 100_000_000, $"the image is {size} bytes");
    }

    private async Task<string> InspectImageAsync(string format) =>
        (await Docker.RunAsync(["image", "inspect", "--format", format, ContainerFixture.Image], cancellationToken: Token)).StandardOutput.Trim();
}
