using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Token;

/// <summary>
/// Checks Docker registry tokens: signature by a trusted key with one of the allowed algorithms
/// (<see cref="TokenSigningAlgorithms"/>; never <c>none</c>), <c>iss</c> = issuer, <c>aud</c> holding the service,
/// <c>exp</c> and <c>nbf</c> against <see cref="TimeProvider"/> with <see cref="Leeway"/> of clock skew (registry:2's value). A token that passed is remembered (by its SHA-256,
/// bounded) so its signature is not verified again; its lifetime is re-checked on every use.
/// </summary>
internal sealed class TokenValidator
{
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);
    private const int CacheCapacity = 10_000;

    private readonly TokenAuthSettings _settings;
    private readonly IReadOnlyList<string> _algorithms;
    private readonly TokenKeyRing _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<string, Validated> _cache = new(StringComparer.Ordinal);

    public TokenValidator(TokenAuthSettings settings, TokenKeyRing keys, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _algorithms = TokenSigningAlgorithms.Resolve(settings.SigningAlgorithms);
        _keys = keys;
        _time = time;
        _logger = logger;
    }

    /// <summary>The token's caller, or null (logged at debug with the reason, never the token) when it is not valid.</summary>
    public async ValueTask<Caller?> ValidateAsync(string token)
    {
        var now = _time.GetUtcNow();
        var cacheKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_cache.TryGetValue(cacheKey, out var known))
        {
            return CheckLifetime(known, now) ? known.Caller : null;
        }

        var validated = await ValidateSignedAsync(token, now);
        if (validated is null || !CheckLifetime(validated, now))
        {
            return null;
        }

        if (_cache.Count >= CacheCapacity)
        {
            _cache.Clear();
        }

        _cache[cacheKey] = validated;
        return validated.Caller;
    }

    private async ValueTask<Validated?> ValidateSignedAsync(string text, DateTimeOffset now)
    {
        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(text);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return Reject("not a JWS compact token");
        }

        var keys = _keys.Resolve(token, now, out var reason);
        if (keys.Count == 0)
        {
            return Reject(reason);
        }

        var parameters = new TokenValidationParameters
        {
            // Only the resolved keys: the handler tries each (none carries the token's kid, or the one that does),
            // so a kid naming several keys (registry:3.0.0's EC thumbprint) passes with whichever signed.
            IssuerSigningKeys = keys,
            TryAllIssuerSigningKeys = true,
            ValidIssuer = _settings.Issuer,
            ValidAudience = _settings.Service,
            ValidAlgorithms = _algorithms,
            RequireSignedTokens = true,
            ValidateLifetime = false, // checked against TimeProvider below and on every cache hit
            RequireExpirationTime = false,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return Reject(result.Exception?.GetType().Name ?? "invalid");
        }

        if (!token.TryGetPayloadValue<long>("exp", out var exp))
        {
            return Reject("no exp claim");
        }

        var nbf = token.TryGetPayloadValue<long>("nbf", out var notBefore) ? notBefore : 0;
        var access = ReadAccess(token);
        if (access is null)
        {
            return Reject("malformed access claim");
        }

        var caller = new Caller(string.IsNullOrEmpty(token.Subject) ? null : token.Subject, new HashSet<string>(), access);
        return new Validated(caller, DateTimeOffset.FromUnixTimeSeconds(nbf), DateTimeOffset.FromUnixTimeSeconds(exp));
    }

    private bool CheckLifetime(Validated token, DateTimeOffset now)
    {
        if (now > token.Expires + Leeway)
        {
            AuthLog.TokenRejected(_logger, "expired");
            return false;
        }

        if (now < token.NotBefore - Leeway)
        {
            AuthLog.TokenRejected(_logger, "not yet valid");
            return false;
        }

        return true;
    }

    /// <summary>The <c>access</c> claim, read from the payload as JSON; a missing claim grants nothing.</summary>
    private static List<TokenAccess>? ReadAccess(JsonWebToken token)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
            var list = new List<TokenAccess>();
            if (!payload.RootElement.TryGetProperty("access", out var access) || access.ValueKind == JsonValueKind.Null)
            {
                return list;
            }

            foreach (var entry in access.EnumerateArray())
            {
                var actions = entry.TryGetProperty("actions", out var a) && a.ValueKind == JsonValueKind.Array
                    ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                    : [];
                list.Add(new TokenAccess(entry.GetProperty("type").GetString() ?? "", entry.GetProperty("name").GetString() ?? "", actions));
            }

            return list;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }

    private Validated? Reject(string reason)
    {
        AuthLog.TokenRejected(_logger, reason);
        return null;
    }

    private sealed record Validated(Caller Caller, DateTimeOffset NotBefore, DateTimeOffset Expires);
}
