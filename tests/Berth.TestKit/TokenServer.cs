using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.TestKit;

/// <summary>
/// A Docker token server (distribution's token spec) played by the test: <c>GET /token?service=&amp;scope=</c> with
/// Basic moby/gordon answers <c>{"token", "access_token"}</c>, an RS256 JWT granting what was asked. The signing key
/// is an RSA key with a self-signed certificate, written as the registry's <c>rootcertbundle</c>; tokens name it by
/// its libtrust key id (<c>kid</c>), as registry:2's token servers do, except tokens for repositories under
/// <see cref="Registry3Prefix"/>, which name it by its RFC 7638 thumbprint, as registry:3's do.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    /// <summary>Tokens asked for repositories below this name carry registry:3's kid (<see cref="KeyName.Thumbprint"/>).</summary>
    public const string Registry3Prefix = "token/v3/";

    public const string Service = "berth-registry";
    public const string Issuer = "berth-test-token-issuer";
    public const string User = "moby";
    public const string Password = "gordon";

    private readonly HttpListener _listener;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _libtrustKeyId;
    private readonly string _thumbprintKeyId;
    private readonly Task _loop;

    private TokenServer(HttpListener listener, int port)
    {
        _listener = listener;
        Realm = $"http://127.0.0.1:{port}/token";
        using var certificate = new CertificateRequest("CN=berth test token signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        CertificatePem = certificate.ExportCertificatePem() + "\n";
        _libtrustKeyId = LibtrustKeyId(certificate.PublicKey.ExportSubjectPublicKeyInfo());
        _thumbprintKeyId = Rfc7638Thumbprint(_key.ExportParameters(includePrivateParameters: false));
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>How a token names its signing key in <c>kid</c>.</summary>
    public enum KeyName
    {
        /// <summary>The libtrust key id: registry:2's token servers.</summary>
        Libtrust,

        /// <summary>The RFC 7638 JWK thumbprint: registry:3's token servers.</summary>
        Thumbprint,
    }

    public string Realm { get; }

    /// <summary>The signing certificate: what <c>auth.token.rootcertbundle</c> points at.</summary>
    public string CertificatePem { get; }

    /// <summary>Every request: "user scope scope ..." (user "-" when none was accepted): proof a client came here.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static TokenServer Start()
    {
        var (listener, port) = LoopbackHttpListener.Start();
        return new TokenServer(listener, port);
    }

    /// <summary>An RS256 token for <paramref name="subject"/> granting <paramref name="access"/> (resource type, name, actions).</summary>
    public string Mint(
        string subject, IEnumerable<(string Type, string Name, string[] Actions)> access, DateTimeOffset? expires = null, KeyName keyName = KeyName.Libtrust)
    {
        var now = DateTimeOffset.UtcNow;
        var exp = expires ?? now.AddMinutes(5);
        var kid = keyName == KeyName.Thumbprint ? _thumbprintKeyId : _libtrustKeyId;
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = kid };
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = exp.ToUnixTimeSeconds(),
            ["nbf"] = Math.Min(now.AddSeconds(-5).ToUnixTimeSeconds(), exp.AddMinutes(-5).ToUnixTimeSeconds()),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = new JsonArray([.. access.Select(a => new JsonObject
            {
                ["type"] = a.Type,
                ["name"] = a.Name,
                ["actions"] = new JsonArray([.. a.Actions.Select(action => JsonValue.Create(action))]),
            })]),
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop and then Close would let the second removal of the prefix bind the port again, which fails
        // when another process took it meanwhile.
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Closing the listener ends the pending accept this way.
        }

        _key.Dispose();
    }

    private Task ServeAsync() => LoopbackHttpListener.ServeAsync(_listener, AnswerAsync);

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        var scopes = (context.Request.QueryString.GetValues("scope") ?? []).SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var user = BasicUser(context.Request.Headers["Authorization"]);
        Requests.Enqueue($"{user ?? "-"} {string.Join(' ', scopes)}");
        if (user is null || context.Request.QueryString["service"] != Service)
        {
            await WriteJsonAsync(response, 401, new JsonObject { ["details"] = "invalid username/password or service" });
            return;
        }

        var access = scopes.Select(ParseScope).ToList();
        var keyName = access.Any(a => a.Name.StartsWith(Registry3Prefix, StringComparison.Ordinal)) ? KeyName.Thumbprint : KeyName.Libtrust;
        var token = Mint(user, access, keyName: keyName);
        await WriteJsonAsync(response, 200, new JsonObject
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = 300,
            // RFC 3339 in UTC: Go parses "Z" but not the "\u002B00:00" System.Text.Json would make of "+00:00".
            ["issued_at"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
    }

    /// <summary><c>repository:team/app:pull,push</c>: the type, the name (which may not contain ':') and the actions.</summary>
    private static (string Type, string Name, string[] Actions) ParseScope(string scope)
    {
        var first = scope.IndexOf(':', StringComparison.Ordinal);
        var last = scope.LastIndexOf(':');
        return (scope[..first], scope[(first + 1)..last], scope[(last + 1)..].Split(','));
    }

    private static string? BasicUser(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        return decoded == $"{User}:{Password}" ? User : null;
    }

    private static async Task WriteJsonAsync(HttpListenerResponse response, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>RFC 7638: SHA-256 of {"e","kty","n"} in that order, no spaces, base64url without padding (registry:3's kid).</summary>
    private static string Rfc7638Thumbprint(RSAParameters key) =>
        Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes($"{{\"e\":\"{Base64Url(key.Exponent!)}\",\"kty\":\"RSA\",\"n\":\"{Base64Url(key.Modulus!)}\"}}")));

    /// <summary>libtrust's key id: SHA-256 of the SubjectPublicKeyInfo, 240 bits in base32, groups of 4 joined by ':'.</summary>
    private static string LibtrustKeyId(byte[] subjectPublicKeyInfo)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var digest = SHA256.HashData(subjectPublicKeyInfo);
        var text = new StringBuilder();
        for (var bit = 0; bit < 240; bit += 5)
        {
            var value = ((digest[bit / 8] << 8) | (bit / 8 + 1 < digest.Length ? digest[(bit / 8) + 1] : 0)) >> (11 - (bit % 8));
            text.Append(Alphabet[value & 31]);
        }

        return string.Join(':', text.ToString().Chunk(4).Select(group => new string(group)));
    }
}
