using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>
/// The Content Discovery workflow (03_discovery_test.go): tag listing with n and last, and the referrers API over
/// five artifacts whose subject is manifests[4] plus one whose subject (manifests[3]) does not exist. Test names
/// give the spec; the original text is in <see cref="ContentDiscoveryWorkflow"/>.
/// </summary>
[Collection(ConformanceGroup.Name)]
public sealed class ContentDiscoveryTests(ConformanceRun run)
{
    [Fact] public void Discovery_Setup_PushConfig2() => run.Check();
    [Fact] public void Discovery_Setup_PushLayer() => run.Check();
    [Fact] public void Discovery_Setup_PutFourTags() => run.Check();
    [Fact] public void Discovery_Setup_TagsFromEnvironment_Skipped() => run.Check();
    [Fact] public void Discovery_Setup_PushReferrersAndSubject_ReturnsOciSubject() => run.Check();
    [Fact] public void Discovery_ListTags_Returns200() => run.Check();
    [Fact] public void Discovery_ListTags_LimitedByN() => run.Check();
    [Fact] public void Discovery_ListTags_StartSetByLast() => run.Check();
    [Fact] public void Discovery_Referrers_NonexistentDigest_ReturnsEmptyIndex() => run.Check();
    [Fact] public void Discovery_Referrers_ExistingSubject_ReturnsFiveWithAnnotations() => run.Check();
    [Fact] public void Discovery_Referrers_ArtifactTypeFilter_ReturnsTwoOrAll() => run.Check();
    [Fact] public void Discovery_Referrers_MissingSubject_ReturnsDanglingReferrer() => run.Check();
    [Fact] public void Discovery_Teardown_DeleteManifestsAndTags() => run.Check();
    [Fact] public void Discovery_Teardown_DeleteConfig() => run.Check();
    [Fact] public void Discovery_Teardown_DeleteLayer() => run.Check();
    [Fact] public void Discovery_Teardown_DeleteReferrersAndBlobs() => run.Check();
}
