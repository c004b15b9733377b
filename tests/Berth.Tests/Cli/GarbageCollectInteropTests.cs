using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>
/// Berth's collector against registry:2's own (Debian's docker-registry 2.8) on copies of one folder: both must
/// leave the same files, and each must find nothing left to do after the other.
/// </summary>
public sealed class GarbageCollectInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GarbageCollect_SameFolder_BerthAndRegistryTwoLeaveTheSameFiles(bool deleteUntagged)
    {
        using var berthSide = new GarbageCollectFolder();
        using var registrySide = new GarbageCollectFolder();
        await FillAsync(berthSide);
        CopyTree(berthSide.V2, registrySide.V2);
        string[] flags = deleteUntagged ? ["-m"] : [];

        var berth = await BerthProcess.RunToEndAsync(["garbage-collect", .. flags, berthSide.ConfigFile]);
        var registry = await RegistryGarbageCollectAsync(flags, registrySide.ConfigFile);

        Assert.Equal(0, berth.ExitCode);
        Assert.Equal(registrySide.Files(), berthSide.Files());
        Assert.Equal(Summary(registry.StandardOutput), Summary(berth.Output));

        // Each after the other: nothing left to delete.
        var berthAfterRegistry = await BerthProcess.RunToEndAsync(["garbage-collect", .. flags, registrySide.ConfigFile]);
        var registryAfterBerth = await RegistryGarbageCollectAsync(flags, berthSide.ConfigFile);
        Assert.Contains("0 blobs and 0 manifests eligible for deletion", berthAfterRegistry.Output, StringComparison.Ordinal);
        Assert.Contains("0 blobs and 0 manifests eligible for deletion", registryAfterBerth.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(registrySide.Files(), berthSide.Files());
    }

    /// <summary>
    /// The one known difference: with -m registry:2 2.8 removes the untagged per-platform manifests of a tagged
    /// multi-arch index and sweeps their layers, so the tag no longer pulls; Berth keeps them.
    /// </summary>
    [Fact]
    public async Task GarbageCollect_MultiArchIndexWithDeleteUntagged_BerthKeepsTheChildrenRegistryTwoDoesNot()
    {
        using var berthSide = new GarbageCollectFolder();
        using var registrySide = new GarbageCollectFolder();
        var index = OciIndexLayout.Create(berthSide.LayoutDirectory("multi"), "latest", "amd64", "arm64");
        await berthSide.PushIndexAsync(index, "multi", "latest", Ct);
        CopyTree(berthSide.V2, registrySide.V2);
        var before = berthSide.Files();

        var berth = await BerthProcess.RunToEndAsync(["garbage-collect", "-m", berthSide.ConfigFile]);
        var registry = await RegistryGarbageCollectAsync(["-m"], registrySide.ConfigFile);

        Assert.Equal(0, berth.ExitCode);
        Assert.Equal(before, berthSide.Files());
        var child = index.Images["amd64"];
        Assert.Contains($"manifest eligible for deletion: {child.ManifestDigest}", registry.StandardOutput, StringComparison.Ordinal);
        Assert.False(registrySide.BlobExists(child.LayerDigests[0]));
        Assert.True(berthSide.BlobExists(child.LayerDigests[0]));
    }

    /// <summary>Two repositories sharing a layer, a tag moved to a new image (the old one untagged), an orphan blob.</summary>
    private static async Task FillAsync(GarbageCollectFolder folder)
    {
        var kept = OciImageLayout.Create(folder.LayoutDirectory("kept"), "v1", 2048, 1024);
        var replaced = OciImageLayout.Create(folder.LayoutDirectory("replaced"), "v1", 2048);
        var current = OciImageLayout.Create(folder.LayoutDirectory("current"), "v1", 2048);
        await folder.PushAsync(kept, "one", "v1", Ct);
        await folder.PushAsync(kept, "two/app", "stable", Ct);
        await folder.PushAsync(replaced, "two/app", "latest", Ct);
        await folder.PushAsync(current, "two/app", "latest", Ct);
        await folder.PushOrphanAsync("one", [9, 8, 7], Ct);
    }

    private static Task<CommandResult> RegistryGarbageCollectAsync(string[] flags, string configFile) =>
        CommandRunner.RunCheckedAsync(Tools.DockerRegistry, ["garbage-collect", .. flags, configFile], cancellationToken: Ct);

    private static string Summary(string output) =>
        output.Split('\n').Single(line => line.Contains("blobs marked", StringComparison.Ordinal)).Trim();

    internal static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
