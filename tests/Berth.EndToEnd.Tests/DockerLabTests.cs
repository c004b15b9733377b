using System.Text.Json;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// The registry lab with the docker CLI and a real dockerd: tag, push, remove, pull, and the same after a restart
/// of the registry on the same folder. 127.0.0.1 is an insecure registry for dockerd, so plain HTTP works.
/// </summary>
[Collection(DockerTestGroup.Name)]
public sealed class DockerLabTests(DockerFixture fixture)
{
    private DockerDaemon Docker => fixture.Docker;

    [Fact]
    public async Task PushRemovePull_LabFlow_SameImageIdAlsoAfterRestart()
    {
        using var work = new TempDirectory("berth-e2e");
        var root = work.Combine("registry");
        var imageId = await fixture.BuildNginxAsync();
        string target;
        await using (var berth = await RegistryServer.StartBerthAsync(root))
        {
            target = $"{berth.HostPort}/labs/nginx:latest";
            await Docker.RunAsync(["tag", "nginx", target], cancellationToken: Token);
            await Docker.RunAsync(["push", target], cancellationToken: Token);
            await RemoveAsync("nginx", target);

            await Docker.RunAsync(["pull", target], cancellationToken: Token);
            Assert.Equal(imageId, await Docker.ImageIdAsync(target, Token));
            await berth.StopAsync();
        }

        // A new process on the same folder must serve everything the first one acknowledged.
        await using var restarted = await RegistryServer.StartBerthAsync(root);
        var again = $"{restarted.HostPort}/labs/nginx:latest";
        await RemoveAsync(target);
        await Docker.RunAsync(["pull", again], cancellationToken: Token);
        Assert.Equal(imageId, await Docker.ImageIdAsync(again, Token));
        Assert.Equal(["latest"], await SkopeoTests.ListTagsAsync(restarted, "labs/nginx"));
        await RemoveAsync(again);
    }

    [Fact]
    public async Task Pull_ByDigestFromPush_SameImageAndLayoutOnDisk()
    {
        using var work = new TempDirectory("berth-e2e");
        var root = work.Combine("registry");
        var imageId = await fixture.BuildNginxAsync();
        await using var berth = await RegistryServer.StartBerthAsync(root);
        var target = $"{berth.HostPort}/labs/nginx:v1";
        await Docker.RunAsync(["tag", "nginx", target], cancellationToken: Token);
        await Docker.RunAsync(["push", target], cancellationToken: Token);
        var repoDigest = await RepoDigestAsync(target, $"{berth.HostPort}/labs/nginx@");
        await RemoveAsync("nginx", target);

        await Docker.RunAsync(["pull", $"{berth.HostPort}/labs/nginx@{repoDigest}"], cancellationToken: Token);

        Assert.Equal(imageId, await Docker.ImageIdAsync($"{berth.HostPort}/labs/nginx@{repoDigest}", Token));
        var manifest = (await Skopeo.InspectAsync(berth.Docker("labs/nginx:v1"), raw: true, Token)).StandardOutputBytes;
        Assert.Equal(repoDigest, OciImageLayout.DigestOf(manifest));
        RegistryLayout.AssertImageStored(root, "labs/nginx", "v1", repoDigest, manifest, BlobDigests(manifest));
        await RemoveAsync($"{berth.HostPort}/labs/nginx@{repoDigest}");
    }

    [Fact]
    public async Task Push_SameImageToSecondRepository_LayersMountedNotUploaded()
    {
        using var work = new TempDirectory("berth-e2e");
        await fixture.BuildNginxAsync();
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));
        var first = $"{berth.HostPort}/labs/nginx:latest";
        var second = $"{berth.HostPort}/labs/my-nginx:latest";
        await Docker.RunAsync(["tag", "nginx", first], cancellationToken: Token);
        await Docker.RunAsync(["tag", "nginx", second], cancellationToken: Token);
        await Docker.RunAsync(["push", first], cancellationToken: Token);

        var push = await Docker.RunAsync(["push", second], cancellationToken: Token);

        // dockerd remembers where the layers live and asks for a cross-repository mount, as registry:2 grants.
        Assert.True(push.StandardOutput.Contains("Mounted from labs/nginx", StringComparison.Ordinal),
            "expected the layers to be mounted from labs/nginx:\n" + push.Describe());
        Assert.Equal(["latest"], await SkopeoTests.ListTagsAsync(berth, "labs/my-nginx"));
        await RemoveAsync("nginx", first, second);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The digest dockerd recorded for the pushed image in that registry (its RepoDigests entry).</summary>
    private async Task<string> RepoDigestAsync(string image, string prefix)
    {
        var result = await Docker.RunAsync(["image", "inspect", "--format", "{{json .RepoDigests}}", image], cancellationToken: Token);
        var digests = JsonSerializer.Deserialize<string[]>(result.StandardOutput) ?? [];
        var match = digests.SingleOrDefault(digest => digest.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(match is not null, $"no repo digest for {prefix} in {result.StandardOutput}");
        return match[prefix.Length..];
    }

    /// <summary>Removes the names so the next pull really downloads (and the image is gone locally).</summary>
    private async Task RemoveAsync(params string[] images)
    {
        await Docker.RunAsync(["rmi", .. images], cancellationToken: Token);
    }

    private static IEnumerable<string> BlobDigests(byte[] manifest)
    {
        using var document = JsonDocument.Parse(manifest);
        var root = document.RootElement;
        return [root.GetProperty("config").GetProperty("digest").GetString()!,
            .. root.GetProperty("layers").EnumerateArray().Select(layer => layer.GetProperty("digest").GetString()!)];
    }
}
