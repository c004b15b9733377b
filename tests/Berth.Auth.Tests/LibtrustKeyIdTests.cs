using System.Security.Cryptography;
using Berth.Auth.Token;

namespace Berth.Auth.Tests;

public sealed class LibtrustKeyIdTests
{
    // Expected value computed outside .NET: openssl pkey -outform DER | sha256sum, first 30 bytes, base32.
    private const string PublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsD6WSOqPsqVhvly01OGnitFQjice
        1ZZEh7cqYCCwoIr+3gpY7Vdi0Yq0PQSMP+CEgQlH2o6zcW1EuS+d3mCIqQ==
        -----END PUBLIC KEY-----
        """;

    [Fact]
    public void FromSubjectPublicKeyInfo_KnownKey_MatchesOpensslComputedId()
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(PublicKeyPem);
        Assert.Equal(
            "JL3N:RXHT:TG4S:BJPP:WZAF:N6UC:3BML:3EER:VCGT:X7C7:ZEYN:Z3VA",
            LibtrustKeyId.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public void FromSubjectPublicKeyInfo_AnyKey_Is12GroupsOf4()
    {
        using var key = RSA.Create(2048);
        var id = LibtrustKeyId.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
        Assert.Matches("^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$", id);
    }
}
