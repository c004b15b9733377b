using System.Security.Cryptography;
using System.Text.Json;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>The real berth executable running <c>check</c> on stores pushed through a real <c>berth serve</c>.</summary>
public sealed class CheckCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_CleanStore_ExitsZeroAndSaysEachRepositoryIsOk()
    {
        using var folder = new GarbageCollectFolder();
        await DamagedStore.PushAllAsync(folder, Ct,
            (OciImageLayout.Create(folder.LayoutDirectory("a"), "v1", 2048, 1024), "team/app:v1"),
            (OciImageLayout.Create(folder.LayoutDirectory("b"), "v1", 2048), "other/clean:v1"));

        var result = await CheckAsync(folder.ConfigFile);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(
            ["other/clean: ok", "team/app: ok", "blob store: ok",
             "0 problems, 0 notes, 0 links removed; checked 2 repositories and 7 blobs (" + BlobBytes(folder) + " bytes)"],
            Lines(result.StandardOutput));
    }

    [Fact]
    public async Task Check_DamagedStore_JsonNamesEachDamageWithItsKindAndPath()
    {
        using var folder = new GarbageCollectFolder();
        var store = await DamagedStore.CreateAsync(folder, Ct);

        var result = await CheckAsync("--json", folder.ConfigFile);

        Assert.True(result.ExitCode == 1, result.Describe());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.False(root.GetProperty("clean").GetBoolean());
        Assert.Equal(store.ExpectedProblems.Count, root.GetProperty("problems").GetInt32());
        var found = root.GetProperty("findings").EnumerateArray()
            .Select(finding => (finding.GetProperty("repository").GetString(), finding.GetProperty("kind").GetString()!, finding.GetProperty("file").GetString()!));
        Assert.Equal(Sorted(store.ExpectedProblems), Sorted(found));
    }

    [Fact]
    public async Task Check_DamagedStore_TextReportSaysWhatJsonSaysAndQuietOnlyTheProblems()
    {
        using var folder = new GarbageCollectFolder();
        var store = await DamagedStore.CreateAsync(folder, Ct);

        var text = await CheckAsync(folder.ConfigFile);
        var quiet = await CheckAsync("--quiet", folder.ConfigFile);
        var json = await CheckAsync("--json", folder.ConfigFile);

        Assert.Equal((1, 1, 1), (text.ExitCode, quiet.ExitCode, json.ExitCode));
        using var document = JsonDocument.Parse(json.StandardOutput);
        var fromJson = CheckReport.FromJson(document.RootElement).Select(CheckReport.Key).Order(StringComparer.Ordinal);
        Assert.Equal(fromJson, CheckReport.FromText(text.StandardOutput).Select(CheckReport.Key).Order(StringComparer.Ordinal));
        Assert.Equal(fromJson, CheckReport.FromText(quiet.StandardOutput).Select(CheckReport.Key).Order(StringComparer.Ordinal));
        Assert.Contains("other/clean: ok", text.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(": ok", quiet.StandardOutput, StringComparison.Ordinal);
        var countLine = $"{store.ExpectedProblems.Count} problems, 0 notes, 0 links removed; checked 2 repositories and "
            + $"{document.RootElement.GetProperty("blobs").GetInt64()} blobs ({document.RootElement.GetProperty("bytes").GetInt64()} bytes)";
        Assert.Equal(countLine, Lines(text.StandardOutput)[^1]);
        Assert.Equal(countLine, Lines(quiet.StandardOutput)[^1]);
    }

    [Fact]
    public async Task Check_RepairLinks_RemovesExactlyTheDanglingLinksAndLeavesEveryOtherFileAlone()
    {
        using var folder = new GarbageCollectFolder();
        var store = await DamagedStore.CreateAsync(folder, Ct);
        var before = Hashes(folder.V2);

        var repair = await CheckAsync("--repair-links", folder.ConfigFile);

        Assert.True(repair.ExitCode == 1, repair.Describe());
        foreach (var removed in store.RepairableFolders)
        {
            Assert.Contains($"      removed {removed}\n", repair.StandardOutput, StringComparison.Ordinal);
        }

        Assert.StartsWith("6 problems, 0 notes, 3 links removed;", Lines(repair.StandardOutput)[^1], StringComparison.Ordinal);
        var after = Hashes(folder.V2);
        var gone = before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.All(gone, file => Assert.Contains(store.RepairableFolders, removed => file.StartsWith(removed + "/", StringComparison.Ordinal)));
        Assert.Equal(3, store.RepairableFolders.Count(removed => gone.Any(file => file.StartsWith(removed + "/", StringComparison.Ordinal))));
        // Every file left, blob data first of all, byte for byte as before.
        Assert.All(after, file => Assert.Equal(before[file.Key], file.Value));
        Assert.Equal(before.Count, after.Count + gone.Count);

        var again = await CheckAsync("--json", folder.ConfigFile);

        Assert.Equal(1, again.ExitCode);
        using var json = JsonDocument.Parse(again.StandardOutput);
        Assert.Equal(["corrupt-blob", "missing-referenced-blob", "unparseable-manifest"],
            json.RootElement.GetProperty("findings").EnumerateArray().Select(finding => finding.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A store registry:2 wrote, with a tag moved and its old manifest deleted by digest (the tag's history still names
    /// it, as registry:2 leaves it): clean. After registry:2's garbage-collect sweeps that manifest's blobs, its
    /// <c>_layers</c> links are left dangling (registry:2 never removes them); --repair-links removes exactly those.
    /// </summary>
    [Fact]
    public async Task Check_StoreWrittenByRegistryTwo_IsCleanAndItsCollectorLeavesOnlyDanglingLayerLinks()
    {
        using var folder = new GarbageCollectFolder();
        var image = OciImageLayout.Create(folder.LayoutDirectory("image"), "v1", 2048, 1024);
        var replaced = OciImageLayout.Create(folder.LayoutDirectory("replaced"), "v2", 2048);
        var index = OciIndexLayout.Create(folder.LayoutDirectory("multi"), "latest", "amd64", "arm64");
        await using (var registry = await DockerRegistryProcess.StartAsync(folder.Root, Ct))
        {
            var app = $"docker://{registry.HostPort}/team/app";
            await Skopeo.CopyAsync(image.Reference, $"{app}:v1", cancellationToken: Ct);
            await Skopeo.CopyAsync(replaced.Reference, $"{app}:v2", cancellationToken: Ct);
            await Skopeo.CopyAsync(image.Reference, $"{app}:v2", cancellationToken: Ct);
            await Skopeo.DeleteAsync($"{app}@{replaced.ManifestDigest}", Ct);
            await Skopeo.RunAsync(["copy", "--quiet", "--all", "--dest-tls-verify=false", index.Reference, $"docker://{registry.HostPort}/multi/app:latest"], Ct);
        }

        var result = await CheckAsync(folder.ConfigFile);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(["multi/app: ok", "team/app: ok", "blob store: ok"], Lines(result.StandardOutput)[..3]);
        Assert.StartsWith("0 problems, 0 notes, 0 links removed; checked 2 repositories", Lines(result.StandardOutput)[^1], StringComparison.Ordinal);

        await CommandRunner.RunCheckedAsync(Tools.DockerRegistry, ["garbage-collect", folder.ConfigFile], cancellationToken: Ct);
        var afterCollect = await CheckAsync("--json", folder.ConfigFile);

        Assert.Equal(1, afterCollect.ExitCode);
        using var json = JsonDocument.Parse(afterCollect.StandardOutput);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.All(findings, finding => Assert.Equal("dangling-layer-link", finding.GetProperty("kind").GetString()));
        Assert.Equal(replaced.LayerDigests.Append(replaced.ConfigDigest).Order(StringComparer.Ordinal),
            findings.Select(finding => "sha256:" + finding.GetProperty("path").GetString()!.Split('/')[^2]).Order(StringComparer.Ordinal));

        Assert.Equal(1, (await CheckAsync("--repair-links", "--quiet", folder.ConfigFile)).ExitCode);
        Assert.Equal(0, (await CheckAsync("--quiet", folder.ConfigFile)).ExitCode);
    }

    [Fact]
    public async Task Check_UsageAndConfigurationErrors_ExitTwo()
    {
        using var folder = new TempDirectory();
        var badConfig = folder.Combine("config.yml");
        await File.WriteAllTextAsync(badConfig, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /tmp/x\n  delete:\n    enabled: maybe\n", Ct);

        var noConfig = await CheckAsync();
        var unknownOption = await CheckAsync("--repair-everything", badConfig);
        var configError = await CheckAsync(badConfig);

        Assert.Equal((2, 2, 2), (noConfig.ExitCode, unknownOption.ExitCode, configError.ExitCode));
        Assert.Contains("check needs a config file", noConfig.StandardError, StringComparison.Ordinal);
        Assert.Equal("berth: configuration error: storage.delete.enabled: expected true or false, got 'maybe'", configError.StandardError.Trim());
        Assert.Equal("", configError.StandardOutput);
    }

    private static Task<CommandResult> CheckAsync(params string[] arguments) => BerthCheck.RunAsync(null, arguments, Ct);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static List<string> Sorted(IEnumerable<(string? Repository, string Kind, string File)> findings) =>
        [.. findings.Select(finding => $"{finding.Repository} {finding.Kind} {finding.File}").Order(StringComparer.Ordinal)];

    private static long BlobBytes(GarbageCollectFolder folder) =>
        Directory.EnumerateFiles(Path.Combine(folder.V2, "blobs"), "data", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);

    /// <summary>Every file under the store with the sha256 of its content.</summary>
    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(file => file, file => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), StringComparer.Ordinal);
}
