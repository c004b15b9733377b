namespace Berth.Configuration;

/// <summary>
/// <c>proxy</c>: the upstreams this registry is a pull-through cache of. registry:2's one (<c>proxy.remoteurl</c>,
/// which takes every repository name) and Berth's <c>proxy.remotes[]</c>, each under its own name prefix.
/// </summary>
public sealed record ProxySettings
{
    public IReadOnlyList<ProxyRemoteSettings> Remotes { get; init; } = [];

    /// <summary><c>proxy.local</c>: repositories the remote without a prefix leaves alone, kept local (mixed mode).</summary>
    public IReadOnlyList<Core.Patterns.RepositoryGlob> Local { get; init; } = [];

    public Proxy.Routing.UpstreamRouter Router() => new([.. Remotes.Select(remote => remote.ToRemote())], Local);

    public bool IsActive => Remotes.Count > 0;
}

/// <param name="Name">How containerd's <c>?ns=</c> names it (the registry host) and how logs and errors name it.</param>
/// <param name="Prefix">The first part(s) of the repository names that mirror it; null for the one that takes every other name.</param>
public sealed record ProxyRemoteSettings(string Name, Uri Url, string? Prefix)
{
    /// <summary>How long a tag the upstream confirmed is served without asking again; zero asks on every pull, as registry:2 does.</summary>
    public TimeSpan Ttl { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>registry:3's <c>exec</c>: a docker credential helper that gives the username and password.</summary>
    public ProxyExecSettings? Exec { get; init; }

    /// <summary>False accepts any certificate the upstream shows (a lab upstream with a self-signed one).</summary>
    public bool TlsVerify { get; init; } = true;

    /// <summary>PEM files of certificate authorities the upstream's certificate may chain to, beside the system's.</summary>
    public IReadOnlyList<string> CaCertificates { get; init; } = [];

    /// <summary>Requests to the upstream at once.</summary>
    public int MaxConcurrent { get; init; } = DefaultMaxConcurrent;

    public const int DefaultMaxConcurrent = 32;

    public Proxy.Routing.UpstreamRemote ToRemote() => new(Name, Url, Prefix);
}

/// <param name="Command">The helper program, run as <c>command get</c> with the upstream's host on its input.</param>
/// <param name="Lifetime">How long its answer is used before it is run again; zero runs it for every token.</param>
public sealed record ProxyExecSettings(string Command, TimeSpan Lifetime);
