using Berth.Core.Manifests;
using Berth.Core.Stores;

namespace Berth.Core.Tests;

/// <summary>The few store records that compute something.</summary>
public sealed class StoreRecordTests
{
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(0, 1023, 1024)]
    [InlineData(1024, 2047, 1024)]
    [InlineData(5, 4, 0)]
    public void ChunkRange_InclusiveEnd_LengthCountsBothEnds(long start, long end, long length)
    {
        Assert.Equal(length, new ChunkRange(start, end).Length);
    }

    [Fact]
    public void StoredManifest_MediaType_IsTheParsedManifests()
    {
        var bytes = ManifestJson.Bytes(ManifestJson.DockerList());
        var manifest = ManifestParser.Parse(bytes, null);

        var stored = new StoredManifest(Digest.Compute(bytes), bytes, manifest);

        Assert.Equal(MediaTypes.DockerManifestList, stored.MediaType);
    }
}
