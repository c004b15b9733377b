using System.Net;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// <c>http.prefix</c> end to end: berth serves the API under <c>/registry/</c> only, behind nginx that forwards a
/// client's <c>/v2/</c> there, and docker and skopeo push and pull through it as through any registry.
/// </summary>
[Collection(DockerTestGroup.Name)]
public sealed class PrefixProxyTests(DockerFixture fixture)
{
    private const string Prefix = "/registry";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PushPull_ThroughProxyToPrefixedBerth_DockerAndSkopeoRoundTrip()
    {
        using var work = new TempDirectory("berth-e2e");
        var root = work.Combine("registry");
        await using var berth = await BerthProcess.StartAsync(root,
            new Dictionary<string, string> { ["REGISTRY_HTTP_PREFIX"] = Prefix + "/" }, cancellationToken: Token);
        await using var proxy = await PrefixProxy.StartAsync(berth.Port, Prefix, Token);

        // skopeo: an OCI image in and out, byte for byte.
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        await Skopeo.CopyAsync(image.Reference, $"docker://{proxy.HostPort}/prefixed/skopeo:v1", cancellationToken: Token);
        var raw = await Skopeo.InspectAsync($"docker://{proxy.HostPort}/prefixed/skopeo:v1", raw: true, Token);
        Assert.Equal(image.ManifestBytes, raw.StandardOutputBytes);

        // docker: the lab's push, remove, pull.
        var imageId = await fixture.BuildNginxAsync();
        var target = $"{proxy.HostPort}/labs/nginx:latest";
        await fixture.Docker.RunAsync(["tag", "nginx", target], cancellationToken: Token);
        await fixture.Docker.RunAsync(["push", target], cancellationToken: Token);
        await fixture.Docker.RunAsync(["rmi", "nginx", target], cancellationToken: Token);
        await fixture.Docker.RunAsync(["pull", target], cancellationToken: Token);
        Assert.Equal(imageId, await fixture.Docker.ImageIdAsync(target, Token));
        await fixture.Docker.RunAsync(["rmi", target], cancellationToken: Token);

        Assert.True(File.Exists(Path.Combine(root, "docker/registry/v2/repositories/labs/nginx/_manifests/tags/latest/current/link")));
        Assert.True(File.Exists(Path.Combine(root, "docker/registry/v2/repositories/prefixed/skopeo/_manifests/tags/v1/current/link")));

        // The API lives under the prefix alone.
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        using (var direct = await http.GetAsync("v2/", Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        }

        using var prefixed = await http.GetAsync("registry/v2/labs/nginx/tags/list", Token);
        Assert.Equal("""{"name":"labs/nginx","tags":["latest"]}""", await prefixed.Content.ReadAsStringAsync(Token));
    }
}
