using Berth.Core;
using Berth.Core.Manifests;
using Berth.Core.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemReferrerStoreTests() : ReferrerStoreTests(Backend.Filesystem);

public sealed class InMemoryReferrerStoreTests() : ReferrerStoreTests(Backend.InMemory);

/// <summary>The referrers API's data: manifests whose subject is a digest, as descriptors.</summary>
public abstract class ReferrerStoreTests(Backend backend) : StoreTestBase(backend)
{
    private const string Signature = "application/vnd.dev.cosign.artifact.sig.v1+json";
    private const string Sbom = "application/spdx+json";

    [Fact]
    public async Task List_Referrers_CarryTypeAnnotationsSizeAndMediaType()
    {
        var (repository, subject) = await SubjectAsync();
        var sig = await PushReferrerAsync(repository, subject, new ManifestBuilder().ArtifactType(Signature).Annotation("org.example.by", "ci"));

        var descriptor = Assert.Single(await repository.Referrers.ListAsync(subject.Digest, null, Ct));

        Assert.Equal(sig.Digest, descriptor.Digest);
        Assert.Equal(MediaTypes.OciManifest, descriptor.MediaType);
        Assert.Equal(sig.Bytes.Length, descriptor.Size);
        Assert.Equal(Signature, descriptor.ArtifactType);
        Assert.Equal("ci", descriptor.Annotations!["org.example.by"]);
    }

    [Fact]
    public async Task List_ReferrerWithoutArtifactType_ReportsConfigMediaType()
    {
        var (repository, subject) = await SubjectAsync();
        await PushReferrerAsync(repository, subject, new ManifestBuilder().Config("{}"u8.ToArray(), Sbom));

        var descriptor = Assert.Single(await repository.Referrers.ListAsync(subject.Digest, null, Ct));

        Assert.Equal(Sbom, descriptor.ArtifactType);
    }

    [Fact]
    public async Task List_ByArtifactType_ReturnsOnlyThatType()
    {
        var (repository, subject) = await SubjectAsync();
        var sig = await PushReferrerAsync(repository, subject, new ManifestBuilder().ArtifactType(Signature));
        var sbom = await PushReferrerAsync(repository, subject, new ManifestBuilder().ArtifactType(Sbom));

        var signatures = await repository.Referrers.ListAsync(subject.Digest, Signature, Ct);
        var all = await repository.Referrers.ListAsync(subject.Digest, null, Ct);

        Assert.Equal([sig.Digest], signatures.Select(d => d.Digest));
        Assert.Equal(new[] { sig.Digest, sbom.Digest }.OrderBy(d => d.ToString(), StringComparer.Ordinal), all.Select(d => d.Digest));
        Assert.Empty(await repository.Referrers.ListAsync(subject.Digest, "application/x.none", Ct));
    }

    [Fact]
    public async Task List_UnknownSubjectOrOtherRepository_ReturnsNothing()
    {
        var (repository, subject) = await SubjectAsync();
        await PushReferrerAsync(repository, subject, new ManifestBuilder().ArtifactType(Signature));

        Assert.Empty(await repository.Referrers.ListAsync(Digest.Compute("unknown"u8), null, Ct));
        var other = (await OpenStoreAsync()).Repository(RepositoryName.Parse("other"));
        Assert.Empty(await other.Referrers.ListAsync(subject.Digest, null, Ct));
    }

    [Fact]
    public async Task List_DeletedReferrer_Vanishes()
    {
        var (repository, subject) = await SubjectAsync();
        var sig = await PushReferrerAsync(repository, subject, new ManifestBuilder().ArtifactType(Signature));
        var sbom = await PushReferrerAsync(repository, subject, new ManifestBuilder().ArtifactType(Sbom));
        var deleter = await OpenRepositoryAsync(repository.Name.Value, deleteEnabled: true);

        await deleter.Manifests.DeleteAsync(Reference.Of(sig.Digest), Ct);

        Assert.Equal([sbom.Digest], (await repository.Referrers.ListAsync(subject.Digest, null, Ct)).Select(d => d.Digest));
    }

    [Fact]
    public async Task List_ReferrerPushedBeforeItsSubject_IsListed()
    {
        var repository = await OpenRepositoryAsync("app");
        var subjectImage = Image(1);
        var subjectDigest = Digest.Compute(subjectImage.Build());
        var sig = await PushImageAsync(repository, new ManifestBuilder().ArtifactType(Signature).Subject(subjectDigest, 1), null);

        await PushImageAsync(repository, subjectImage, "v1");

        Assert.Equal([sig.Digest], (await repository.Referrers.ListAsync(subjectDigest, null, Ct)).Select(d => d.Digest));
    }

    private async Task<(IRepository Repository, StoredManifest Subject)> SubjectAsync()
    {
        var repository = await OpenRepositoryAsync("app");
        return (repository, await PushImageAsync(repository, Image(1), "v1"));
    }

    private static Task<StoredManifest> PushReferrerAsync(IRepository repository, StoredManifest subject, ManifestBuilder referrer) =>
        PushImageAsync(repository, referrer.Subject(subject.Digest, subject.Bytes.Length), null);
}
