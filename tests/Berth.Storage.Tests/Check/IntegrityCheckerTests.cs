using Berth.Core;
using Berth.Storage.Check;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Gc;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Check;

public sealed class FilesystemIntegrityCheckerTests() : IntegrityCheckerTests(Backend.Filesystem);

public sealed class InMemoryIntegrityCheckerTests() : IntegrityCheckerTests(Backend.InMemory);

/// <summary>Stores pushed through the real stores, then damaged one way each: the checker names the damage and its path.</summary>
public abstract class IntegrityCheckerTests(Backend backend) : GcTestBase(backend)
{
    private static readonly RepositoryName App = RepositoryName.Parse("team/app");

    [Fact]
    public async Task Check_ImagesIndexAndReferrer_FindsNothing()
    {
        var repository = await OpenRepositoryAsync(App.Value);
        var image = await PushImageAsync(repository, Image(1), "v1");
        var child = await PushImageAsync(repository, Image(2), tag: null);
        await repository.Manifests.PutAsync(TagRef("multi"), ManifestBuilder.Index(child.Bytes.ToArray()), null, [], Ct);
        await PushImageAsync(repository, Image(3).Subject(image.Digest, image.Bytes.Length), tag: null);
        await PushImageAsync(await OpenRepositoryAsync("other"), Image(1), "v1");

        var (result, observer) = await CheckAsync();

        Assert.Empty(result.Findings);
        Assert.True(result.IsClean);
        Assert.Equal(2, result.Repositories);
        Assert.Equal(["other: 0", "team/app: 0", "blobs: 0"], observer.Events);
        // Each blob once however many repositories link it: one config all images share, three layers, four manifests.
        Assert.Equal(1 + 3 + 4, result.Blobs);
    }

    [Fact]
    public async Task Check_FlippedByteInALayer_IsACorruptBlobAtItsDataPath()
    {
        var image = Image(1);
        await PushImageAsync(await OpenRepositoryAsync(App.Value), image, "v1");
        var layer = Digest.Compute(image.Blobs[1]);
        await FlipFirstByteAsync(layer);

        var (result, _) = await CheckAsync();

        var problem = Assert.Single(result.Findings);
        Assert.Equal(IntegrityProblemKind.CorruptBlob, problem.Kind);
        Assert.Null(problem.Repository);
        Assert.Equal(RegistryPaths.BlobData(layer), problem.Path);
    }

    [Fact]
    public async Task Check_Sha512Blob_IsHashedWithItsOwnAlgorithm()
    {
        var repository = await OpenRepositoryAsync(App.Value);
        var content = TestContent.Random(300, 9);
        var digest = Digest.Parse("sha512:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(content)));
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.CompleteAsync(upload.Id, digest, TestContent.Stream(content), null, Ct);
        Assert.Empty((await CheckAsync()).Result.Findings);

        await FlipFirstByteAsync(digest);

        var problem = Assert.Single((await CheckAsync()).Result.Findings);
        Assert.Equal((IntegrityProblemKind.CorruptBlob, RegistryPaths.BlobData(digest)), (problem.Kind, problem.Path));
    }

    [Fact]
    public async Task Check_MissingConfigBlob_IsAMissingReferencedBlobAndADanglingLayerLink()
    {
        var image = Image(1);
        var manifest = await PushImageAsync(await OpenRepositoryAsync(App.Value), image, "v1");
        var config = Digest.Compute(image.ConfigBytes);
        await Driver.DeleteAsync(RegistryPaths.BlobData(config).Parent, Ct);

        var (result, _) = await CheckAsync();

        Assert.Equal(
            [(IntegrityProblemKind.MissingReferencedBlob, RegistryPaths.BlobData(config)), (IntegrityProblemKind.DanglingLayerLink, RegistryPaths.LayerLink(App, config))],
            result.Findings.Select(finding => (finding.Kind, finding.Path)));
        Assert.Contains($"config {config} of manifest {manifest.Digest}", result.Findings[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_TagToAMissingRevision_IsADanglingTag()
    {
        var repository = await OpenRepositoryAsync(App.Value);
        var manifest = await PushImageAsync(repository, Image(1), "v1");
        await Driver.DeleteAsync(RegistryPaths.RevisionLinkFolder(App, manifest.Digest), Ct);

        var problem = Assert.Single((await CheckAsync()).Result.Findings);

        Assert.Equal((App, IntegrityProblemKind.DanglingTag, RegistryPaths.TagCurrentLink(App, Tag.Parse("v1"))),
            (problem.Repository, problem.Kind, problem.Path));
        Assert.False(problem.Repaired);
    }

    [Fact]
    public async Task Check_GarbageManifest_IsUnparseable()
    {
        await PushImageAsync(await OpenRepositoryAsync(App.Value), Image(1), "v1");
        var garbage = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":7}"u8.ToArray();
        var digest = Digest.Compute(garbage);
        await Driver.WriteAllAsync(RegistryPaths.BlobData(digest), garbage, Ct);
        await Driver.WriteLinkAsync(RegistryPaths.RevisionLink(App, digest), digest, Ct);

        var problem = Assert.Single((await CheckAsync()).Result.Findings);

        Assert.Equal((IntegrityProblemKind.UnparseableManifest, RegistryPaths.BlobData(digest)), (problem.Kind, problem.Path));
        Assert.Contains("manifests must be an array", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LayerNotLinkedInTheRepository_IsAnUnlinkedReference()
    {
        var image = Image(1);
        await PushImageAsync(await OpenRepositoryAsync(App.Value), image, "v1");
        var layer = Digest.Compute(image.Blobs[1]);
        await Driver.DeleteAsync(RegistryPaths.LayerLinkFolder(App, layer), Ct);

        var problem = Assert.Single((await CheckAsync()).Result.Findings);

        Assert.Equal((IntegrityProblemKind.UnlinkedReference, RegistryPaths.LayerLink(App, layer)), (problem.Kind, problem.Path));
    }

    [Fact]
    public async Task Check_IndexChildNotAManifestOfTheRepository_IsAnUnlinkedReference()
    {
        var repository = await OpenRepositoryAsync(App.Value);
        var child = await PushImageAsync(repository, Image(2), tag: null);
        await repository.Manifests.PutAsync(TagRef("multi"), ManifestBuilder.Index(child.Bytes.ToArray()), null, [], Ct);
        await Driver.DeleteAsync(RegistryPaths.RevisionLinkFolder(App, child.Digest), Ct);

        var problem = Assert.Single((await CheckAsync()).Result.Findings);

        Assert.Equal((IntegrityProblemKind.UnlinkedReference, RegistryPaths.RevisionLink(App, child.Digest)), (problem.Kind, problem.Path));
    }

    [Fact]
    public async Task Check_LinkHoldingAnotherDigest_IsMalformed()
    {
        var image = Image(1);
        await PushImageAsync(await OpenRepositoryAsync(App.Value), image, "v1");
        var layer = Digest.Compute(image.Blobs[1]);
        await Driver.WriteAllAsync(RegistryPaths.LayerLink(App, layer), "sha256:nothex"u8.ToArray(), Ct);

        var findings = (await CheckAsync()).Result.Findings;

        Assert.Contains(findings, finding => finding.Kind == IntegrityProblemKind.MalformedLink && finding.Path == RegistryPaths.LayerLink(App, layer));
    }

    [Fact]
    public async Task Check_SubjectNotInTheRepository_IsANoteAndTheStoreIsClean()
    {
        var repository = await OpenRepositoryAsync(App.Value);
        var absent = Digest.Compute("not pushed"u8);
        await PushImageAsync(repository, Image(3).Subject(absent, 10), tag: null);

        var (result, _) = await CheckAsync();

        var note = Assert.Single(result.Findings);
        Assert.Equal(IntegrityProblemKind.MissingSubject, note.Kind);
        Assert.True(result.IsClean);
        Assert.Equal((0, 1), (result.Problems, result.Notes));
    }

    [Fact]
    public async Task Check_RepairLinks_RemovesTheDanglingTagAndLayerLinkAndNothingElse()
    {
        var repository = await OpenRepositoryAsync(App.Value);
        var kept = await PushImageAsync(repository, Image(1), "v1");
        var gone = await PushImageAsync(repository, Image(2), "v2");
        var orphan = TestContent.Random(50, 7);
        await PushBlobAsync(repository, orphan);
        await Driver.DeleteAsync(RegistryPaths.RevisionLinkFolder(App, gone.Digest), Ct);
        await Driver.DeleteAsync(RegistryPaths.BlobData(Digest.Compute(orphan)).Parent, Ct);
        var before = await SnapshotAsync();

        var (result, _) = await CheckAsync(repair: true);

        Assert.Equal(
            [(IntegrityProblemKind.DanglingTag, RegistryPaths.Tag(App, Tag.Parse("v2"))), (IntegrityProblemKind.DanglingLayerLink, RegistryPaths.LayerLinkFolder(App, Digest.Compute(orphan)))],
            result.Findings.Select(finding => (finding.Kind, finding.Removed!.Value)));
        // Every other file, blob data included, is still there with its size.
        var removed = before.Except(await SnapshotAsync()).Select(file => file.Split(' ')[0]).Order(StringComparer.Ordinal);
        Assert.Equal(
            [RegistryPaths.LayerLink(App, Digest.Compute(orphan)).ToString(), RegistryPaths.TagCurrentLink(App, Tag.Parse("v2")).ToString(),
             RegistryPaths.TagIndexLink(App, Tag.Parse("v2"), gone.Digest).ToString()],
            removed);
        Assert.Empty((await CheckAsync()).Result.Findings);
        Assert.NotNull(await (await OpenRepositoryAsync(App.Value)).Manifests.GetAsync(TagRef("v1"), Ct));
        Assert.NotNull(kept);
    }

    [Fact]
    public async Task Check_ProgressInterval_ReportsEveryNBlobs()
    {
        var repository = await OpenRepositoryAsync(App.Value);
        for (var seed = 0; seed < 5; seed++)
        {
            await PushBlobAsync(repository, TestContent.Random(10, seed));
        }

        var observer = new RecordingObserver();
        await IntegrityChecker.RunAsync(Driver, new IntegrityCheckOptions { ProgressInterval = 2 }, observer, Ct);

        Assert.Equal([2L, 4L], observer.Progress);
    }

    private async Task<(IntegrityCheckResult Result, RecordingObserver Observer)> CheckAsync(bool repair = false)
    {
        var observer = new RecordingObserver();
        var result = await IntegrityChecker.RunAsync(Driver, new IntegrityCheckOptions { RepairLinks = repair }, observer, Ct);
        return (result, observer);
    }

    private async Task FlipFirstByteAsync(Digest digest)
    {
        var bytes = (await Driver.ReadAllAsync(RegistryPaths.BlobData(digest), Ct))!;
        bytes[0] ^= 0xFF;
        await Driver.WriteAllAsync(RegistryPaths.BlobData(digest), bytes, Ct);
    }
}
