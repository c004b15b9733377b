namespace Berth.Redis;

/// <summary>
/// How to reach Redis, from the <c>redis</c> section (registry:2's and registry:3's keys). One address is a single
/// server; several without <see cref="MasterName"/> a Cluster (or a primary with replicas); with it, the addresses
/// are Sentinels and the primary is asked of them.
/// </summary>
public sealed record RedisOptions
{
    /// <summary>Berth's bound on connecting when <c>dialtimeout</c> is not written.</summary>
    public static readonly TimeSpan DefaultDialTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Berth's bound on one command when <c>readtimeout</c>/<c>writetimeout</c> are not written.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(3);

    /// <summary><c>addr</c> (registry:2) and <c>addrs</c> (registry:3): <c>host:port</c> each.</summary>
    public required IReadOnlyList<string> Addresses { get; init; }

    /// <summary><c>username</c> (Redis 6 ACL user); null for the default user.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary><c>db</c></summary>
    public int Database { get; init; }

    /// <summary><c>mastername</c>: Sentinel mode; <see cref="Addresses"/> are then the Sentinels.</summary>
    public string? MasterName { get; init; }

    /// <summary><c>sentinelusername</c>/<c>sentinelpassword</c> (registry:3): the Sentinels' own credentials.</summary>
    public string? SentinelUsername { get; init; }

    public string? SentinelPassword { get; init; }

    /// <summary><c>clientname</c> (registry:3): the name Redis shows in CLIENT LIST.</summary>
    public string? ClientName { get; init; }

    /// <summary><c>dialtimeout</c>: connecting, TLS handshake included.</summary>
    public TimeSpan DialTimeout { get; init; } = DefaultDialTimeout;

    /// <summary>
    /// The larger of <c>readtimeout</c> and <c>writetimeout</c>: StackExchange.Redis bounds a whole command (sent and
    /// answered), not its two halves.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = DefaultCommandTimeout;

    /// <summary><c>tls</c>; null for plain TCP.</summary>
    public RedisTlsOptions? Tls { get; init; }

    /// <summary>How the configuration names this Redis in logs: the addresses (and the master's name), never a secret.</summary>
    public string Describe() => (MasterName is null ? "" : $"sentinel master {MasterName} via ") + string.Join(",", Addresses) + (Tls is null ? "" : " (TLS)");
}

/// <summary><c>redis.tls</c>: TLS to Redis, with an optional client certificate and private CAs.</summary>
public sealed record RedisTlsOptions
{
    /// <summary><c>tls.certificate</c>: the client certificate (PEM), with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; init; }

    /// <summary><c>tls.key</c>: the client certificate's private key (PEM).</summary>
    public string? KeyPath { get; init; }

    /// <summary>
    /// <c>tls.rootcas</c> (registry:3 since 3.1) or <c>tls.clientcas</c> (3.0's name for the same thing): the CAs
    /// Redis's certificate must chain to; empty trusts the system's CAs.
    /// </summary>
    public IReadOnlyList<string> RootCaPaths { get; init; } = [];
}
