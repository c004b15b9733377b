using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>The real berth executable running <c>garbage-collect</c>, as a user runs it with the registry stopped.</summary>
public sealed class GarbageCollectCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GarbageCollect_AfterPushesThroughBerthServe_SweepsWhatNoTagNeeds()
    {
        using var folder = new GarbageCollectFolder();
        var first = OciImageLayout.Create(folder.LayoutDirectory("first"), "v1", 4096);
        var second = OciImageLayout.Create(folder.LayoutDirectory("second"), "v1", 4096);
        await using (var berth = await BerthProcess.StartAsync(folder.Root, cancellationToken: Ct))
        {
            await Skopeo.CopyAsync(first.Reference, $"docker://{berth.HostPort}/team/app:v1", cancellationToken: Ct);
            await Skopeo.CopyAsync(second.Reference, $"docker://{berth.HostPort}/team/app:v1", cancellationToken: Ct);
        }

        var (dryExit, dryOutput) = await BerthProcess.RunToEndAsync(["garbage-collect", "--dry-run", "-m", folder.ConfigFile]);

        Assert.Equal(0, dryExit);
        Assert.Contains($"manifest eligible for deletion: {first.ManifestDigest}", dryOutput, StringComparison.Ordinal);
        Assert.Contains($"team/app: marking manifest {second.ManifestDigest}", dryOutput, StringComparison.Ordinal);
        Assert.Contains("3 blobs marked, 3 blobs and 1 manifests eligible for deletion", dryOutput, StringComparison.Ordinal);
        Assert.True(folder.BlobExists(first.LayerDigests[0]));

        // registry:2 and registry:3 take the file from REGISTRY_CONFIGURATION_PATH when none is named; so does berth.
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", "--delete-untagged"],
            new Dictionary<string, string> { ["REGISTRY_CONFIGURATION_PATH"] = folder.ConfigFile });

        Assert.Equal(0, exitCode);
        Assert.Equal(dryOutput, output);
        Assert.False(folder.BlobExists(first.LayerDigests[0]));
        Assert.False(folder.BlobExists(first.ManifestDigest));
        Assert.True(folder.BlobExists(second.LayerDigests[0]));
        await using var restarted = await BerthProcess.StartAsync(folder.Root, cancellationToken: Ct);
        var pulled = await Skopeo.InspectAsync($"docker://{restarted.HostPort}/team/app:v1", raw: true, Ct);
        Assert.Equal(second.ManifestBytes, pulled.StandardOutputBytes);
    }

    [Fact]
    public async Task GarbageCollect_WithoutFlags_KeepsUntaggedAndSweepsOrphans()
    {
        using var folder = new GarbageCollectFolder();
        var image = OciImageLayout.Create(folder.LayoutDirectory("image"), "v1", 2048);
        await folder.PushAsync(image, "app", "v1", Ct);
        var orphan = await folder.PushOrphanAsync("app", [1, 2, 3, 4], Ct);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", folder.ConfigFile]);

        Assert.Equal(0, exitCode);
        Assert.EndsWith($"3 blobs marked, 1 blobs and 0 manifests eligible for deletion\nblob eligible for deletion: {orphan}",
            output.TrimEnd(), StringComparison.Ordinal);
        Assert.False(folder.BlobExists(orphan));
        Assert.True(folder.BlobExists(image.ManifestDigest));
    }

    [Theory]
    [InlineData]
    [InlineData("--quiet")]
    public async Task GarbageCollect_UnreadableManifest_OneLineExitTwoAndNothingDeleted(params string[] flags)
    {
        using var folder = new GarbageCollectFolder();
        var orphan = await folder.PushOrphanAsync("app", [1, 2, 3, 4], Ct);
        var junk = folder.WriteRevision("app", "{\"schemaVersion\":2,\"config\":7}"u8.ToArray());

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", .. flags, folder.ConfigFile]);

        // --quiet silences the report, never the failure or its exit status.
        Assert.Equal(2, exitCode);
        var failure = Assert.Single(output.Split('\n'), line => line.StartsWith("berth:", StringComparison.Ordinal));
        Assert.StartsWith($"berth: failed to garbage collect: cannot read manifest {junk}", failure, StringComparison.Ordinal);
        Assert.True(folder.BlobExists(orphan));
    }

    [Theory]
    [InlineData("--quiet")]
    [InlineData("-q")]
    public async Task GarbageCollect_Quiet_PrintsNothingAndSweeps(string quiet)
    {
        using var folder = new GarbageCollectFolder();
        var image = OciImageLayout.Create(folder.LayoutDirectory("image"), "v1", 2048);
        await folder.PushAsync(image, "app", "v1", Ct);
        var orphan = await folder.PushOrphanAsync("app", [1, 2, 3, 4], Ct);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", quiet, folder.ConfigFile]);

        Assert.Equal(0, exitCode);
        Assert.Equal("", output.Trim());
        Assert.False(folder.BlobExists(orphan));
        Assert.True(folder.BlobExists(image.ManifestDigest));
    }

    [Fact]
    public async Task GarbageCollect_BadConfig_OneLineAndExitOne()
    {
        using var folder = new TempDirectory();
        var config = folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /tmp/x\n  delete:\n    enabled: maybe\n", Ct);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", config]);

        Assert.Equal(1, exitCode);
        Assert.Equal("berth: configuration error: storage.delete.enabled: expected true or false, got 'maybe'", output.Trim());
    }

    [Fact]
    public async Task GarbageCollect_NoConfig_IsAUsageError()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("config", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageCollect_Help_SaysItIsOfflineAndListsRegistryTwosFlags()
    {
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Offline: stop the registry", output, StringComparison.Ordinal);
        Assert.Contains("-d, --dry-run", output, StringComparison.Ordinal);
        Assert.Contains("-m, --delete-untagged", output, StringComparison.Ordinal);
        Assert.Contains("-q, --quiet", output, StringComparison.Ordinal);
    }
}
