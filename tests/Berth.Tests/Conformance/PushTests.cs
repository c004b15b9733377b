using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>
/// The Push workflow (02_push_test.go): streamed, monolithic and chunked blob uploads, cross-repository mount,
/// manifest upload (four tags, a manifest with no layers), then teardown. Test names give the spec; the original
/// text is in <see cref="PushWorkflow"/>.
/// </summary>
[Collection(ConformanceGroup.Name)]
public sealed class PushTests(ConformanceRun run)
{
    [Fact] public void Push_Streamed_PatchWithBlobBody_Returns202() => run.Check();
    [Fact] public void Push_Streamed_PutSessionWithDigest_Returns201() => run.Check();
    [Fact] public void Push_Monolithic_GetNonexistentBlob_Returns404() => run.Check();
    [Fact] public void Push_Monolithic_PostWithDigestAndBlob_Returns201Or202() => run.Check();
    [Fact] public void Push_Monolithic_GetBlobFromPriorPost_Returns200Or404() => run.Check();
    [Fact] public void Push_Monolithic_Post_ReturnsSession() => run.Check();
    [Fact] public void Push_Monolithic_PostThenPut_Returns201() => run.Check();
    [Fact] public void Push_Monolithic_GetExistingBlob_Returns200() => run.Check();
    [Fact] public void Push_Monolithic_PutLayerBlob_Returns201() => run.Check();
    [Fact] public void Push_Monolithic_GetExistingLayer_Returns200() => run.Check();
    [Fact] public void Push_Chunked_OutOfOrderChunk_Returns416() => run.Check();
    [Fact] public void Push_Chunked_PatchFirstChunk_Returns202WithRange() => run.Check();
    [Fact] public void Push_Chunked_RetryPreviousChunk_Returns416() => run.Check();
    [Fact] public void Push_Chunked_GetStaleUpload_Returns204WithRangeAndLocation() => run.Check();
    [Fact] public void Push_Chunked_PatchSecondChunk_Returns202() => run.Check();
    [Fact] public void Push_Chunked_PutWithDigest_Returns201() => run.Check();
    [Fact] public void Push_Mount_WithoutFrom_ReturnsSession() => run.Check();
    [Fact] public void Push_Mount_FromOtherRepository_Returns201Or202() => run.Check();
    [Fact] public void Push_Mount_GetMountedBlob_Returns200() => run.Check();
    [Fact] public void Push_Mount_NonexistentBlob_ReturnsSession() => run.Check();
    [Fact] public void Push_Mount_AutomaticWithoutFromEnabled_Returns201() => run.Check();
    [Fact] public void Push_Mount_AutomaticWithoutFromDisabled_Returns202() => run.Check();
    [Fact] public void Push_Manifest_GetNonexistent_Returns404() => run.Check();
    [Fact] public void Push_Manifest_PutFourTags_Returns201() => run.Check();
    [Fact] public void Push_Manifest_PutWithNoLayers_Accepted() => run.Check();
    [Fact] public void Push_Manifest_GetByDigest_Returns200() => run.Check();
    [Fact] public void Push_Teardown_DeleteManifests() => run.Check();
    [Fact] public void Push_Teardown_DeleteConfig() => run.Check();
    [Fact] public void Push_Teardown_DeleteLayer() => run.Check();
}
