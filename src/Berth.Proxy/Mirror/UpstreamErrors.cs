using Berth.Core.Errors;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Mirror;

/// <summary>What a client of the cache is told when the upstream failed and nothing cached can answer instead.</summary>
internal static class UpstreamErrors
{
    /// <summary>When the upstream said nothing of when to come back.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

    public static RegistryException ToRegistryError(UpstreamException failure, UpstreamMirror mirror)
    {
        var name = mirror.Remote.Name;
        return failure.Failure switch
        {
            UpstreamFailure.Throttled => new RegistryException(RegistryErrorCode.TooManyRequests,
                $"the upstream {name} is rate-limiting this registry, and it has no cached copy", failure.Message, status: 429)
            {
                RetryAfter = failure.RetryAfter ?? TimeSpan.FromMinutes(1),
            },
            UpstreamFailure.Refused => new RegistryException(RegistryErrorCode.Unavailable,
                $"the upstream {name} refused this registry's credentials (see its proxy settings), and it has no cached copy", failure.Message, status: 503),
            UpstreamFailure.Invalid => new RegistryException(RegistryErrorCode.Unavailable,
                $"the upstream {name} sent unusable content, which was not cached", failure.Message, status: 502),
            _ => new RegistryException(RegistryErrorCode.Unavailable,
                $"the upstream {name} is unavailable, and it has no cached copy", failure.Message, status: 503)
            {
                RetryAfter = failure.RetryAfter ?? DefaultRetryAfter,
            },
        };
    }

    /// <summary>The message of a stale answer: which upstream failed, and how.</summary>
    public static string StaleReason(UpstreamException failure, UpstreamMirror mirror) =>
        $"{mirror.Remote.Name} {failure.Failure.ToString().ToLowerInvariant()}: {failure.Message}";
}
