using Berth.Core;
using Berth.Core.Patterns;

namespace Berth.Proxy.Routing;

/// <summary>
/// Decides which repositories are mirrors of which upstream. Every remote but one has a prefix, the first part(s) of
/// the names that mirror it (<c>ghcr</c>: <c>ghcr/org/app</c> is <c>org/app</c> on ghcr.io); the one without a prefix
/// (registry:2's <c>proxy.remoteurl</c>, or the target of dockerd's <c>--registry-mirror</c>) takes every name no
/// prefix claims, except those <c>proxy.local</c> names. With no such remote, a name no prefix claims is an ordinary
/// local repository.
/// <para>
/// containerd names the registry it wants in <c>?ns=&lt;host&gt;</c> (what a <c>hosts.toml</c> mirror sends) and the
/// repository as that registry knows it; <see cref="LocalName"/> turns the pair into the local name the cache keeps it
/// under, so <c>org/app?ns=ghcr.io</c> and <c>ghcr/org/app</c> are one repository, and <c>org/app</c> of two
/// upstreams are two. Docker Hub's rule applies to its names: a one-part name is an official image, <c>nginx</c> is
/// <c>library/nginx</c>.
/// </para>
/// </summary>
public sealed class UpstreamRouter
{
    private readonly IReadOnlyList<UpstreamRemote> _remotes;
    private readonly UpstreamRemote? _unprefixed;
    private readonly IReadOnlyList<RepositoryGlob> _local;

    /// <param name="local">Names the remote without a prefix leaves alone (<c>proxy.local</c>): the team's own
    /// repositories beside a Docker Hub mirror that dockerd's <c>--registry-mirror</c> sends every name to.</param>
    /// <exception cref="ArgumentException">Two remotes share a name or a prefix, or more than one has none.</exception>
    public UpstreamRouter(IReadOnlyList<UpstreamRemote> remotes, IReadOnlyList<RepositoryGlob>? local = null)
    {
        ArgumentNullException.ThrowIfNull(remotes);
        Duplicate(remotes.Select(remote => remote.Name.ToLowerInvariant()), "name");
        Duplicate(remotes.Where(remote => remote.Prefix is not null).Select(remote => Prefix(remote)!), "prefix");
        if (remotes.Count(remote => remote.Prefix is null) > 1)
        {
            throw new ArgumentException("only one proxy remote may have no prefix: the one that takes names without one", nameof(remotes));
        }

        _remotes = remotes;
        _unprefixed = remotes.FirstOrDefault(remote => remote.Prefix is null);
        _local = local ?? [];
    }

    public IReadOnlyList<UpstreamRemote> Remotes => _remotes;

    /// <param name="name">The repository name the request names.</param>
    /// <param name="ns">containerd's <c>ns</c> query parameter.</param>
    /// <returns>The name the cache keeps the repository under; <paramref name="name"/> itself when no remote answers
    /// for <paramref name="ns"/> (a local repository), or null when the result would be too long a name.</returns>
    public RepositoryName? LocalName(RepositoryName name, string ns)
    {
        if (_remotes.FirstOrDefault(remote => remote.Answers(ns)) is not { } remote)
        {
            return name;
        }

        // Docker Hub's nginx is kept as library/nginx, where dockerd's mirror requests find it too.
        var upstream = For(remote, name.Value).UpstreamRepository;
        return RepositoryName.TryParse(Prefix(remote) is { } prefix ? $"{prefix}/{upstream}" : upstream, out var local) ? local : null;
    }

    /// <param name="name">A local repository name.</param>
    /// <returns>The upstream and its name for the repository, or null for a local repository.</returns>
    public UpstreamRoute? Route(RepositoryName name)
    {
        foreach (var remote in _remotes)
        {
            if (Prefix(remote) is { } prefix && name.Value.Length > prefix.Length + 1
                && name.Value.StartsWith(prefix, StringComparison.Ordinal) && name.Value[prefix.Length] == '/')
            {
                return For(remote, name.Value[(prefix.Length + 1)..]);
            }
        }

        return _unprefixed is null || RepositoryGlob.MatchesAny(_local, name.Value) ? null : For(_unprefixed, name.Value);
    }

    private static string? Prefix(UpstreamRemote remote) => remote.Prefix?.Trim('/') is { Length: > 0 } prefix ? prefix : null;

    private static UpstreamRoute For(UpstreamRemote remote, string repository) =>
        new(remote, remote.IsDockerHub && !repository.Contains('/', StringComparison.Ordinal) ? "library/" + repository : repository);

    private static void Duplicate(IEnumerable<string> values, string what)
    {
        if (values.GroupBy(value => value, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"two proxy remotes have the {what} '{twice.Key}'");
        }
    }
}
