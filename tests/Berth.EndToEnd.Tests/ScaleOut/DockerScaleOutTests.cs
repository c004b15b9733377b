using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ScaleOut;

/// <summary>The docker CLI against three nodes on one bucket and one Redis: push through one, pull through another.</summary>
[Collection(DockerTestGroup.Name)]
public sealed class DockerScaleOutTests(DockerFixture docker, ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task Docker_PushThroughOneNode_PulledThroughAnother()
    {
        var imageId = await docker.BuildNginxAsync();
        var bucket = await fixture.NewBucketAsync();
        await using var cluster = await ScaleOutFixture.StartClusterAsync(fixture.NodeEnvironment(bucket, fixture.NewDatabase()));
        var pushed = $"{cluster[0].HostPort}/labs/nginx:latest";
        var pulled = $"{cluster[2].HostPort}/labs/nginx:latest";
        await docker.Docker.RunAsync(["tag", "nginx", pushed], cancellationToken: Token);

        await docker.Docker.RunAsync(["push", pushed], cancellationToken: Token);
        await docker.Docker.RunAsync(["rmi", pushed], cancellationToken: Token);
        await docker.Docker.RunAsync(["rmi", "nginx"], cancellationToken: Token);
        await docker.Docker.RunAsync(["pull", pulled], cancellationToken: Token);

        // The blobs came from node 2, which redirected to the bucket: the same image, byte for byte.
        Assert.Equal(imageId, await docker.Docker.ImageIdAsync(pulled, Token));
        await docker.Docker.RunAsync(["tag", pulled, "nginx"], cancellationToken: Token);
        await docker.Docker.RunAsync(["rmi", pulled], cancellationToken: Token);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
