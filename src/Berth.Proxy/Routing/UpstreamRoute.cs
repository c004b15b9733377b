using Berth.Core;

namespace Berth.Proxy.Routing;

/// <summary>Where a repository of this registry comes from: a remote, and the repository's name there.</summary>
public sealed record UpstreamRoute(UpstreamRemote Remote, string UpstreamRepository);

/// <summary>
/// Decides which repositories are mirrors of which upstream. A name is routed, in this order:
/// <list type="number">
/// <item>by containerd's <c>?ns=&lt;host&gt;</c> (what a <c>hosts.toml</c> mirror sends): to the remote that answers
/// for that host, the name unchanged; a host no remote answers for leaves the name local;</item>
/// <item>by prefix: <c>ghcr/org/app</c> to the remote with prefix <c>ghcr</c>, as <c>org/app</c> (docker, podman,
/// skopeo);</item>
/// <item>to the remote without a prefix, if there is one (registry:2's <c>proxy.remoteurl</c>, or dockerd's
/// <c>--registry-mirror</c>), the name unchanged;</item>
/// <item>else not at all: an ordinary local repository.</item>
/// </list>
/// Docker Hub's rule applies to its names: a one-part name is an official image, <c>nginx</c> is <c>library/nginx</c>.
/// </summary>
public sealed class UpstreamRouter
{
    private readonly IReadOnlyList<UpstreamRemote> _remotes;
    private readonly UpstreamRemote? _unprefixed;

    /// <exception cref="ArgumentException">Two remotes share a name or a prefix, or more than one has none.</exception>
    public UpstreamRouter(IReadOnlyList<UpstreamRemote> remotes)
    {
        ArgumentNullException.ThrowIfNull(remotes);
        Duplicate(remotes.Select(remote => remote.Name.ToLowerInvariant()), "name");
        Duplicate(remotes.Where(remote => remote.Prefix is not null).Select(remote => remote.Prefix!.Trim('/')), "prefix");
        if (remotes.Count(remote => remote.Prefix is null) > 1)
        {
            throw new ArgumentException("only one proxy remote may have no prefix: the one that takes names without one", nameof(remotes));
        }

        _remotes = remotes;
        _unprefixed = remotes.FirstOrDefault(remote => remote.Prefix is null);
    }

    public IReadOnlyList<UpstreamRemote> Remotes => _remotes;

    /// <param name="name">The repository name the client asked for.</param>
    /// <param name="ns">containerd's <c>ns</c> query parameter, if the request had one.</param>
    /// <returns>The upstream and its name for the repository, or null for a local repository.</returns>
    public UpstreamRoute? Route(RepositoryName name, string? ns)
    {
        if (!string.IsNullOrEmpty(ns))
        {
            return _remotes.FirstOrDefault(remote => remote.Answers(ns)) is { } named ? For(named, name.Value) : null;
        }

        foreach (var remote in _remotes)
        {
            if (remote.Prefix?.Trim('/') is { Length: > 0 } prefix && name.Value.Length > prefix.Length + 1
                && name.Value.StartsWith(prefix, StringComparison.Ordinal) && name.Value[prefix.Length] == '/')
            {
                return For(remote, name.Value[(prefix.Length + 1)..]);
            }
        }

        return _unprefixed is null ? null : For(_unprefixed, name.Value);
    }

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
