namespace Berth.Proxy.Upstream;

/// <summary>Why an upstream could not give what was asked; decides what the client of the cache is told.</summary>
public enum UpstreamFailure
{
    /// <summary>Down, unreachable, too slow, or a 5xx: serve what is cached, else 503.</summary>
    Unavailable,

    /// <summary>429 (Docker Hub's rate limit): serve what is cached, else 429 with the upstream's Retry-After.</summary>
    Throttled,

    /// <summary>It refused Berth's credentials (401/403, or its token server did).</summary>
    Refused,

    /// <summary>It answered something unusable: content that does not match its digest, a manifest too big, bad JSON.</summary>
    Invalid,
}

/// <summary>An upstream, or its token server, failed; the message says how, never with a secret in it.</summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException()
    {
    }

    public UpstreamException(string message)
        : this(UpstreamFailure.Invalid, message)
    {
    }

    public UpstreamException(string message, Exception innerException)
        : this(UpstreamFailure.Unavailable, message, innerException)
    {
    }

    public UpstreamException(UpstreamFailure failure, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException)
    {
        Failure = failure;
        RetryAfter = retryAfter;
    }

    public UpstreamFailure Failure { get; }

    /// <summary>How long the upstream asked to wait (429 or 503 with <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
