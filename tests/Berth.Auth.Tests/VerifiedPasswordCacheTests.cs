using System.Text;
using Berth.Auth.Htpasswd;

namespace Berth.Auth.Tests;

public sealed class VerifiedPasswordCacheTests
{
    [Fact]
    public void Fingerprint_SameInputs_AreEqualAndNotThePassword()
    {
        var a = VerifiedPasswordCache.Fingerprint("moby", "gordon", "$2y$hash");
        var b = VerifiedPasswordCache.Fingerprint("moby", "gordon", "$2y$hash");

        Assert.Equal(a, b);
        Assert.Equal(32, a.Length);
        Assert.DoesNotContain("gordon", Encoding.UTF8.GetString(a), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("moby", "gordon", "$2y$other")]
    [InlineData("moby", "gordon2", "$2y$hash")]
    [InlineData("mob", "ygordon", "$2y$hash")]
    [InlineData("moby", "gordon$2y$", "hash")]
    public void Fingerprint_AnyFieldDiffers_Differs(string user, string password, string hash) =>
        Assert.NotEqual(VerifiedPasswordCache.Fingerprint("moby", "gordon", "$2y$hash"), VerifiedPasswordCache.Fingerprint(user, password, hash));

    [Fact]
    public void Matches_RememberedFingerprint_OnlyForThatUser()
    {
        var cache = new VerifiedPasswordCache(10);
        var fingerprint = VerifiedPasswordCache.Fingerprint("moby", "gordon", "h");
        cache.Remember("moby", fingerprint);

        Assert.True(cache.Matches("moby", fingerprint));
        Assert.False(cache.Matches("alice", fingerprint));
        Assert.False(cache.Matches("moby", VerifiedPasswordCache.Fingerprint("moby", "other", "h")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Matches_FingerprintDifferingInOneByte_IsFalseWhereverTheByteIs(int index)
    {
        // The comparison is CryptographicOperations.FixedTimeEquals; timing is not measurable in a unit test, so this
        // proves the other half: an early and a late difference are both caught.
        var cache = new VerifiedPasswordCache(10);
        var fingerprint = VerifiedPasswordCache.Fingerprint("moby", "gordon", "h");
        cache.Remember("moby", fingerprint);
        var altered = (byte[])fingerprint.Clone();
        altered[index] ^= 1;

        Assert.False(cache.Matches("moby", altered));
    }

    [Fact]
    public void Remember_BeyondCapacity_StaysBounded()
    {
        var cache = new VerifiedPasswordCache(3);
        for (var i = 0; i < 10; i++)
        {
            cache.Remember("user" + i, VerifiedPasswordCache.Fingerprint("user" + i, "p", "h"));
        }

        Assert.InRange(cache.Count, 1, 3);
        Assert.True(cache.Matches("user9", VerifiedPasswordCache.Fingerprint("user9", "p", "h")));
    }
}
