using Berth.TestKit;
using Berth.Tests.Gc;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>
/// berth garbage-collect on a folder registry:2 itself wrote (Debian's docker-registry, pushed to over HTTP), compared
/// blob by blob with docker-registry garbage-collect on a copy: the same blobs left without --delete-untagged; with
/// it, Berth keeps exactly the platform images of a kept index and the referrer of a kept image in addition (registry:2
/// 2.8 keeps the platform manifests' own bytes, which the index marks, but deletes their revisions and sweeps their
/// configs and layers, so the index no longer pulls), says why, and docker-registry still serves every tag from what
/// Berth kept.
/// </summary>
public sealed class GarbageCollectRegistryFolderTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-gc-registry-folder");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GarbageCollect_FolderDockerRegistryWrote_SameBlobsAsItsCollectorExceptWhatBerthKeepsAndSays(bool deleteUntagged)
    {
        var written = _folder.Combine("written");
        var scene = await RegistryScene.PushAsync(written, Ct);
        var (berthRoot, registryRoot) = (_folder.Combine("berth"), _folder.Combine("registry"));
        GarbageCollectInteropTests.CopyTree(written, berthRoot);
        GarbageCollectInteropTests.CopyTree(written, registryRoot);
        string[] flags = deleteUntagged ? ["--delete-untagged"] : [];

        var berth = await BerthProcess.RunToEndAsync(["garbage-collect", .. flags, ConfigFile(berthRoot)]);
        await CommandRunner.RunCheckedAsync(Tools.DockerRegistry, ["garbage-collect", .. flags, ConfigFile(registryRoot)], cancellationToken: Ct);

        Assert.True(berth.ExitCode == 0, berth.Output);
        var (kept, theirs) = (StoredBlobs.Present(berthRoot), StoredBlobs.Present(registryRoot));
        Assert.DoesNotContain(scene.Orphan.Digest, kept);
        Assert.DoesNotContain(scene.Orphan.Digest, theirs);
        Assert.Superset(theirs, kept);
        Assert.Equal(deleteUntagged ? scene.KeptOnlyByBerth : [], kept.Except(theirs).Order(StringComparer.Ordinal));
        if (deleteUntagged)
        {
            Assert.DoesNotContain(scene.UntaggedOld.Digest, kept);
            foreach (var platform in scene.Platforms)
            {
                Assert.Contains($"multi: keeping untagged manifest {platform.Digest}: the kept index {scene.Index.Digest} names it (a platform of "
                    + "a multi-arch image; registry:2 would delete it and break the index)", berth.Output, StringComparison.Ordinal);
            }

            Assert.Contains($"one: keeping untagged manifest {scene.Referrer.Digest}: it refers to the kept manifest {scene.Shared.Digest} "
                + "(a signature, SBOM or other referrer; registry:2 would delete it)", berth.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(scene.UntaggedOld.Digest, kept);
            Assert.DoesNotContain("keeping untagged manifest", berth.Output, StringComparison.Ordinal);
        }

        // registry:2 serves what Berth kept: every tag, every platform, the referrer.
        await using var registry = await DockerRegistryProcess.StartAsync(berthRoot, Ct);
        using var http = new HttpClient { BaseAddress = registry.BaseUri };
        await scene.AssertServedAsync(http, Ct);
    }

    private static string ConfigFile(string root)
    {
        var file = root + ".yml";
        File.WriteAllText(file, $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {root}\n");
        return file;
    }
}
