using Berth.Core;
using Berth.Storage.Gc;
using Berth.Storage.Usage;

namespace Berth.Storage.Tests.Usage;

public sealed class UsageTallyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Snapshot_LayerSharedByTwoRepositories_SharedInBothUniqueElsewhereAndCountedOnceInUse()
    {
        var (shared, firstOwn, secondOwn) = (Blob(1), Blob(2), Blob(3));
        var tally = new UsageTally();
        tally.StartRepository(RepositoryName.Parse("first"));
        tally.Add(shared, 1000);
        tally.Add(firstOwn, 10);
        tally.StartRepository(RepositoryName.Parse("second"));
        tally.Add(secondOwn, 20);
        tally.Add(shared, 1000);

        var usage = tally.Snapshot(Now);

        Assert.Equal([new(Name("first"), 10, 1000), new(Name("second"), 20, 1000)], usage.Repositories);
        Assert.Equal(1030, usage.BytesInUse);
        Assert.Equal(3, usage.BlobsInUse);
        Assert.Equal(Now, usage.ComputedAt);
    }

    [Fact]
    public void Snapshot_BlobReferencedTwiceInOneRepository_CountedOnce()
    {
        // Two tags of one repository naming the same layer, and the config of one image as the layer of another.
        var (layer, config) = (Blob(1), Blob(2));
        var tally = new UsageTally();
        tally.StartRepository(RepositoryName.Parse("app"));
        tally.Add(config, 5);
        tally.Add(layer, 300);
        tally.Add(layer, 300);
        tally.Add(config, 5);

        var usage = tally.Snapshot(Now);

        Assert.Equal([new(Name("app"), 305, 0)], usage.Repositories);
        Assert.Equal(305, usage.BytesInUse);
        Assert.Equal(2, tally.Count);
    }

    [Fact]
    public void Snapshot_BlobInThreeRepositoriesAndOneWithNothing_SharedByEachAndZeroForTheEmptyOne()
    {
        var base_ = Blob(7);
        var tally = new UsageTally();
        foreach (var name in new[] { "a", "b", "c" })
        {
            tally.StartRepository(RepositoryName.Parse(name));
            tally.Add(base_, 50);
            tally.Add(base_, 50);
        }

        tally.StartRepository(RepositoryName.Parse("empty"));

        var usage = tally.Snapshot(Now);

        Assert.Equal([new(Name("a"), 0, 50), new(Name("b"), 0, 50), new(Name("c"), 0, 50), new(Name("empty"), 0, 0)], usage.Repositories);
        Assert.Equal(50, usage.BytesInUse);
    }

    [Fact]
    public void Contains_MarkedAndUnmarkedDigests_AsAdded()
    {
        var tally = new UsageTally();
        tally.StartRepository(RepositoryName.Parse("app"));
        var marked = Digest.Compute([1]);
        tally.Add(DigestKey.From(marked), 1);

        Assert.True(tally.Contains(marked));
        Assert.False(tally.Contains(Digest.Compute([2])));
        Assert.Equal([marked], tally.Digests);
    }

    [Fact]
    public void Add_BeforeAnyRepository_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new UsageTally().Add(Blob(1), 1));
    }

    [Fact]
    public void DigestKey_Sha256AndSha512_RoundTripAndCompareByValue()
    {
        var sha256 = Digest.Compute([1, 2, 3]);
        var sha512 = Digest.Parse("sha512:" + new string('a', 128));

        Assert.Equal(sha256, DigestKey.From(sha256).ToDigest());
        Assert.Equal(sha512, DigestKey.From(sha512).ToDigest());
        Assert.Equal(DigestKey.From(sha256), DigestKey.From(Digest.Parse(sha256.ToString())));
        Assert.NotEqual(DigestKey.From(sha256), DigestKey.From(sha512));
        Assert.Equal(sha256.ToString(), DigestKey.From(sha256).ToString());
    }

    [Fact]
    public void DigestKey_Sorted_InTheOrderOfTheDigestsText()
    {
        var digests = Enumerable.Range(0, 200).Select(i => Digest.Compute([(byte)i, (byte)(i * 7)]))
            .Append(Digest.Parse("sha512:" + new string('0', 128))).ToList();
        var keys = digests.Select(DigestKey.From).ToList();

        keys.Sort();

        Assert.Equal(digests.Select(digest => digest.ToString()).Order(StringComparer.Ordinal), keys.Select(key => key.ToString()));
    }

    private static DigestKey Blob(byte seed) => DigestKey.From(Digest.Compute([seed]));

    private static RepositoryName Name(string name) => RepositoryName.Parse(name);
}
