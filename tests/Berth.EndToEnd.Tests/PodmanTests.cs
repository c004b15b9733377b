using Berth.TestKit;

namespace Berth.EndToEnd.Tests;

/// <summary>podman (private vfs storage) pulling and pushing through a real berth process.</summary>
public sealed class PodmanTests
{
    [Fact]
    public async Task PullTagPush_ImagePushedBySkopeo_PullsBackSameImage()
    {
        using var work = new TempDirectory("berth-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1");
        await using var berth = await RegistryServer.StartBerthAsync(work.Combine("registry"));
        await Skopeo.CopyAsync(image.Reference, berth.Docker("podman/source:v1"), cancellationToken: Token);
        using var podman = new PodmanClient();
        var source = $"{berth.HostPort}/podman/source:v1";
        var target = $"{berth.HostPort}/podman/target:v1";

        await podman.PullAsync(source, Token);
        var imageId = await podman.ImageIdAsync(source, Token);
        // podman's image id is the config digest: the pull really brought this image.
        Assert.Equal(OciImageLayout.Hex(image.ConfigDigest), imageId);
        await podman.TagAsync(source, target, Token);
        await podman.PushAsync(target, Token);
        await podman.RemoveImageAsync(source, Token);
        await podman.RemoveImageAsync(target, Token);
        Assert.False(await podman.ImageExistsAsync(target, Token), "the image should be gone before pulling it back");

        await podman.PullAsync(target, Token);

        Assert.Equal(imageId, await podman.ImageIdAsync(target, Token));
        Assert.Equal(["v1"], await SkopeoTests.ListTagsAsync(berth, "podman/target"));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
