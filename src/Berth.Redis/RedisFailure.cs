using Berth.Core.Errors;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// Every way a Redis command can fail (no connection, a timeout, an error reply such as OOM or READONLY) becomes
/// <see cref="ServiceUnavailableException"/>: the request is answered 503 UNAVAILABLE with the OCI body, never 500,
/// and nothing it asked for was acknowledged. Berth does not retry: a registry client retries a 503 itself.
/// </summary>
internal static class RedisFailure
{
    public const string Service = "redis";

    public static bool Is(Exception e) => e is RedisException or RedisTimeoutException or RedisConnectionException or TimeoutException;

    public static ServiceUnavailableException Wrap(Exception e) => new(Service, e.Message, e);
}
