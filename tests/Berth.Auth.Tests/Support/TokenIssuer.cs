using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.TestKit;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests.Support;

/// <summary>
/// A test token server: a self-signed RSA and an ECDSA signing certificate, a CA that issues a leaf for x5c tokens,
/// and the PEM bundle registry configs point at. Tokens are minted with the tests' own keys.
/// </summary>
internal sealed class TokenIssuer : IDisposable
{
    public const string Issuer = "test-issuer";
    public const string Service = "registry.test";
    public const string Realm = "https://auth.test/token";

    private readonly TempDirectory _directory = new("berth-token");
    private readonly bool _ownsRsa;

    // RSA key generation is slow on this machine: one key per process unless a test needs a stranger's keys.
    private static readonly RSA SharedRsa = RSA.Create(2048);

    public TokenIssuer(ManualTimeProvider time, bool freshKeys = false)
    {
        Time = time;
        _ownsRsa = freshKeys;
        Rsa = freshKeys ? RSA.Create(2048) : SharedRsa;
        Ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Ca = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Leaf = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = time.GetUtcNow();
        RsaCertificate = new CertificateRequest("CN=rsa signer", Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        EcdsaCertificate = new CertificateRequest("CN=ecdsa signer", Ecdsa, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var caRequest = new CertificateRequest("CN=token ca", Ca, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        CaCertificate = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        LeafCertificate = new CertificateRequest("CN=token leaf", Leaf, HashAlgorithmName.SHA256)
            .Create(CaCertificate, now.AddDays(-1), now.AddDays(10), [1, 2, 3, 4]);
        BundlePath = _directory.Combine("bundle.pem");
        File.WriteAllText(BundlePath, RsaCertificate.ExportCertificatePem() + "\n" + EcdsaCertificate.ExportCertificatePem() + "\n" + CaCertificate.ExportCertificatePem() + "\n");
    }

    public ManualTimeProvider Time { get; }

    public RSA Rsa { get; }

    public ECDsa Ecdsa { get; }

    public ECDsa Ca { get; }

    public ECDsa Leaf { get; }

    public X509Certificate2 RsaCertificate { get; }

    public X509Certificate2 EcdsaCertificate { get; }

    public X509Certificate2 CaCertificate { get; }

    public X509Certificate2 LeafCertificate { get; }

    public string BundlePath { get; }

    public TokenAuthSettings Settings(string? jwks = null, bool bundle = true) =>
        new(Realm, Service, Issuer, bundle ? BundlePath : null, jwks);

    public string WriteFile(string name, string content)
    {
        var path = _directory.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    public static string KidOf(X509Certificate2 certificate) =>
        Berth.Auth.Token.LibtrustKeyId.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());

    /// <summary>The RFC 7638 thumbprint of the certificate's key: the kid registry:3-style token servers send.</summary>
    public static string ThumbprintOf(X509Certificate2 certificate) => Berth.Auth.Token.JwkThumbprint.Of(
        certificate.GetRSAPublicKey() is { } rsa ? new RsaSecurityKey(rsa) : new ECDsaSecurityKey(certificate.GetECDsaPublicKey()!));

    /// <summary>A token signed by <paramref name="key"/> with the given claims over sensible defaults.</summary>
    public string Mint(
        SecurityKey key,
        string algorithm,
        object[]? access = null,
        string issuer = Issuer,
        string audience = Service,
        TimeSpan? expiresIn = null,
        TimeSpan? notBeforeIn = null,
        IDictionary<string, object>? headers = null)
    {
        var now = Time.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = "alice",
            ["aud"] = audience,
            ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(5))).ToUnixTimeSeconds(),
            ["nbf"] = (now + (notBeforeIn ?? TimeSpan.FromSeconds(-5))).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["access"] = access ?? [],
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, algorithm),
            AdditionalHeaderClaims = headers,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public string MintRsa(object[]? access = null, TimeSpan? expiresIn = null, TimeSpan? notBeforeIn = null, string issuer = Issuer, string audience = Service) =>
        Mint(new RsaSecurityKey(Rsa) { KeyId = KidOf(RsaCertificate) }, SecurityAlgorithms.RsaSha256, access, issuer, audience, expiresIn, notBeforeIn);

    public string MintEcdsa(object[]? access = null) =>
        Mint(new ECDsaSecurityKey(Ecdsa) { KeyId = KidOf(EcdsaCertificate) }, SecurityAlgorithms.EcdsaSha256, access);

    /// <summary>Signed by the CA-issued leaf, carrying the chain (leaf, CA) in x5c and no kid.</summary>
    public string MintWithChain(object[]? access = null) =>
        Mint(new ECDsaSecurityKey(Leaf), SecurityAlgorithms.EcdsaSha256, access, headers: new Dictionary<string, object>
        {
            ["x5c"] = new[] { Convert.ToBase64String(LeafCertificate.RawData), Convert.ToBase64String(CaCertificate.RawData) },
        });

    public static object Repository(string name, params string[] actions) => Access("repository", name, actions);

    public static object Access(string type, string name, params string[] actions) =>
        new Dictionary<string, object> { ["type"] = type, ["name"] = name, ["actions"] = actions };

    public void Dispose()
    {
        RsaCertificate.Dispose();
        EcdsaCertificate.Dispose();
        CaCertificate.Dispose();
        LeafCertificate.Dispose();
        if (_ownsRsa)
        {
            Rsa.Dispose();
        }

        Ecdsa.Dispose();
        Ca.Dispose();
        Leaf.Dispose();
        _directory.Dispose();
    }
}
