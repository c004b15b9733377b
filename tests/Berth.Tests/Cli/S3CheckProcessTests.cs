using System.Text.Json;
using Berth.TestKit;
using Berth.Tests.Health;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>
/// <c>berth check</c> on S3 (Ceph RGW): the damaged store of <see cref="DamagedStore"/>, copied into a bucket as
/// docs/scale-out.md migrates a folder, is read through the S3 driver with the same findings at the same storage paths.
/// </summary>
[Collection(RgwGroup.Name)]
public sealed class S3CheckProcessTests(RgwFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_DamagedStoreInABucket_FindsTheSameProblemsAndRepairsTheLinks()
    {
        using var folder = new GarbageCollectFolder();
        var store = await DamagedStore.CreateAsync(folder, Ct);
        var environment = await fixture.NewBucketEnvironmentAsync("check", Ct);
        var bucket = environment["REGISTRY_STORAGE_S3_BUCKET"];
        await CommandRunner.RunCheckedAsync(Tools.Rclone, ["copy", folder.Root, $"{CephRgw.RcloneRemote}:{bucket}/registry"],
            new CommandOptions { Environment = fixture.Rgw.RcloneEnvironment }, Ct);
        // The file names filesystem storage; REGISTRY_STORAGE=s3 replaces the whole storage section.
        string[] check = ["--json", folder.ConfigFile];

        var first = await BerthCheck.RunAsync(environment, check, Ct);

        Assert.True(first.ExitCode == 1, first.Describe());
        using var found = JsonDocument.Parse(first.StandardOutput);
        Assert.Equal(Sorted(store.ExpectedProblems.Select(problem => (problem.Repository, problem.Kind, StoragePath(folder, problem.File)))),
            Sorted(Findings(found.RootElement).Select(finding => (finding.Repository, finding.Kind, finding.Path))));
        Assert.All(Findings(found.RootElement), finding => Assert.Null(finding.File));

        var repair = await BerthCheck.RunAsync(environment, ["--repair-links", .. check], Ct);
        var again = await BerthCheck.RunAsync(environment, check, Ct);

        Assert.Equal((1, 1), (repair.ExitCode, again.ExitCode));
        using var repaired = JsonDocument.Parse(repair.StandardOutput);
        Assert.Equal(store.RepairableFolders.Select(removed => StoragePath(folder, removed)).Order(StringComparer.Ordinal),
            repaired.RootElement.GetProperty("findings").EnumerateArray()
                .Select(finding => finding.GetProperty("removed").GetString()).OfType<string>().Order(StringComparer.Ordinal));
        using var remaining = JsonDocument.Parse(again.StandardOutput);
        Assert.Equal(["corrupt-blob", "missing-referenced-blob", "unparseable-manifest"],
            Findings(remaining.RootElement).Select(finding => finding.Kind).Order(StringComparer.Ordinal));
        // Every blob is still there: the same count and bytes hashed as before the repair.
        Assert.Equal((found.RootElement.GetProperty("blobs").GetInt64(), found.RootElement.GetProperty("bytes").GetInt64()),
            (remaining.RootElement.GetProperty("blobs").GetInt64(), remaining.RootElement.GetProperty("bytes").GetInt64()));
    }

    /// <summary>The path inside the storage of a file under the folder, as the S3 driver names it below its root directory.</summary>
    private static string StoragePath(GarbageCollectFolder folder, string file) => "/" + Path.GetRelativePath(folder.Root, file);

    private static IEnumerable<(string? Repository, string Kind, string Path, string? File)> Findings(JsonElement root) =>
        root.GetProperty("findings").EnumerateArray().Select(finding => (finding.GetProperty("repository").GetString(),
            finding.GetProperty("kind").GetString()!, finding.GetProperty("path").GetString()!, finding.GetProperty("file").GetString()));

    private static List<string> Sorted(IEnumerable<(string? Repository, string Kind, string Path)> findings) =>
        [.. findings.Select(finding => $"{finding.Repository} {finding.Kind} {finding.Path}").Order(StringComparer.Ordinal)];
}
