using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ScaleOut;

/// <summary>
/// A filesystem registry moves to S3 as docs/scale-out.md says: the layout is the same, so the folder is copied into
/// the bucket under the root directory (here with rclone) and Berth on S3 serves every image, tag and repository.
/// </summary>
public sealed class MigrationTests(ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task FilesystemRegistry_SyncedIntoBucket_ServedFromS3()
    {
        var root = fixture.Work.Combine($"filesystem-{Guid.NewGuid():N}");
        var image = OciImageLayout.Create(fixture.Work.Combine($"image-{Guid.NewGuid():N}"), "v1", 500_000);
        var other = OciImageLayout.Create(fixture.Work.Combine($"other-{Guid.NewGuid():N}"), "v1", 1000);
        await using (var filesystem = await BerthProcess.StartAsync(root, cancellationToken: Token))
        {
            await Skopeo.CopyAsync(image.Reference, $"docker://{filesystem.HostPort}/team/app:v1", cancellationToken: Token);
            await Skopeo.CopyAsync(image.Reference, $"docker://{filesystem.HostPort}/team/app:stable", cancellationToken: Token);
            await Skopeo.CopyAsync(other.Reference, $"docker://{filesystem.HostPort}/team/other:v1", cancellationToken: Token);
        }

        var bucket = await fixture.NewBucketAsync();
        // What the guide runs: the folder's docker/ tree into the bucket under the s3 driver's rootdirectory.
        await CommandRunner.RunCheckedAsync(Tools.Rclone, ["copy", root, $"{CephRgw.RcloneRemote}:{bucket}/registry"],
            new CommandOptions { Environment = fixture.Rgw.RcloneEnvironment }, Token);

        await using var cluster = await ScaleOutFixture.StartClusterAsync(fixture.NodeEnvironment(bucket, fixture.NewDatabase(), "/registry"), count: 1);

        var raw = await Skopeo.InspectAsync(cluster.Docker(0, "team/app:stable"), raw: true, Token);
        Assert.Equal(image.ManifestBytes, raw.StandardOutputBytes);
        var copy = fixture.Work.Combine($"pulled-{Guid.NewGuid():N}");
        await Skopeo.CopyAsync(cluster.Docker(0, "team/app:v1"), $"oci:{copy}:v1", cancellationToken: Token);
        foreach (var digest in image.LayerDigests.Append(image.ConfigDigest))
        {
            Assert.Equal(image.ReadBlob(digest), OciImageLayout.ReadOciBlob(copy, digest));
        }

        var tags = await Skopeo.ListTagsAsync(cluster.Docker(0, "team/app"), Token);
        Assert.Contains("\"stable\"", tags.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"v1\"", tags.StandardOutput, StringComparison.Ordinal);
        var catalog = await new HttpClient().GetStringAsync(new Uri(cluster[0].BaseUri, "v2/_catalog"), Token);
        Assert.Contains("\"team/app\"", catalog, StringComparison.Ordinal);
        Assert.Contains("\"team/other\"", catalog, StringComparison.Ordinal);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
