namespace Berth.Redis;

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
