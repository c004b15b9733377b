using System.Security.Cryptography;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Core.Tests;

public sealed class DigestTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string EmptySha512 =
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Theory]
    [InlineData("sha256:" + EmptySha256, "sha256", EmptySha256)]
    [InlineData("sha256:" + AbcSha256, "sha256", AbcSha256)]
    [InlineData("sha512:" + EmptySha512, "sha512", EmptySha512)]
    public void Parse_ValidDigest_SplitsAlgorithmAndHex(string text, string algorithm, string hex)
    {
        var digest = Digest.Parse(text);

        Assert.Equal(algorithm, digest.Algorithm);
        Assert.Equal(hex, digest.Hex);
        Assert.Equal(text, digest.ToString());
    }

    [Theory]
    [InlineData("sha256", "SHA256")]
    [InlineData("sha512", "SHA512")]
    public void Parse_Algorithm_SelectsHashAlgorithm(string algorithm, string expected)
    {
        var hex = algorithm == Digest.Sha512 ? EmptySha512 : EmptySha256;

        Assert.Equal(expected, Digest.Parse(algorithm + ":" + hex).HashAlgorithm.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData(EmptySha256)]
    [InlineData(":" + EmptySha256)]
    [InlineData("sha256:")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:E3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("SHA256:" + EmptySha256)]
    [InlineData("sha256:" + EmptySha256 + "0")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha512:" + EmptySha256)]
    [InlineData("sha256:" + EmptySha512)]
    [InlineData("sha384:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:../../../../../../../../../../../../../../../../../../etc/passwd")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852/../")]
    [InlineData(" sha256:" + EmptySha256)]
    [InlineData("sha256:" + EmptySha256 + " ")]
    [InlineData("sha256:" + EmptySha256 + "\n")]
    [InlineData("sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256::" + EmptySha256)]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(Digest.TryParse(text, out var digest));
        Assert.Equal(default, digest);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(Digest.TryParse(null, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:../etc")]
    public void Parse_Malformed_ThrowsDigestInvalidWithText(string? text)
    {
        var e = RegistryAssert.Throws(RegistryErrorCode.DigestInvalid, () => Digest.Parse(text), status: 400);

        Assert.Equal(text, e.Detail);
    }

    [Theory]
    [InlineData("", EmptySha256)]
    [InlineData("abc", AbcSha256)]
    public void Compute_KnownVector_MatchesSha256(string content, string hex)
    {
        var digest = Digest.Compute(Encoding.ASCII.GetBytes(content));

        Assert.Equal("sha256:" + hex, digest.ToString());
    }

    [Fact]
    public void ComputeSameAlgorithm_Sha512Digest_HashesWithSha512()
    {
        var sha512 = Digest.Parse("sha512:" + EmptySha512);

        var digest = sha512.ComputeSameAlgorithm([]);

        Assert.Equal(sha512, digest);
        Assert.Equal(Digest.Sha512, digest.Algorithm);
    }

    [Fact]
    public void ComputeSameAlgorithm_Sha256Digest_HashesWithSha256()
    {
        var digest = Digest.Parse("sha256:" + AbcSha256).ComputeSameAlgorithm("abc"u8);

        Assert.Equal("sha256:" + AbcSha256, digest.ToString());
    }

    [Fact]
    public void FromHash_FinishedIncrementalHash_EqualsCompute()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("ab"u8);
        hash.AppendData("c"u8);

        var digest = Digest.FromHash(Digest.Sha256, hash.GetHashAndReset());

        Assert.Equal(Digest.Compute("abc"u8), digest);
    }

    [Fact]
    public void Equality_SameText_IsEqual()
    {
        Assert.Equal(Digest.Parse("sha256:" + EmptySha256), Digest.Compute([]));
        Assert.NotEqual(Digest.Parse("sha256:" + AbcSha256), Digest.Compute([]));
    }
}
