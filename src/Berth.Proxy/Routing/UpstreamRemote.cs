namespace Berth.Proxy.Routing;

/// <summary>
/// One upstream the cache mirrors, as configured (<c>proxy.remoteurl</c> for registry:2's one, or an entry of
/// <c>proxy.remotes[]</c>).
/// </summary>
/// <param name="Name">How containerd's <c>?ns=</c> and the logs name it, e.g. <c>docker.io</c>.</param>
/// <param name="Url">The upstream's root, e.g. <c>https://registry-1.docker.io</c>.</param>
/// <param name="Prefix">The first part(s) of a repository name that route to it (<c>ghcr</c> in <c>ghcr/org/app</c>),
/// or null for the remote that takes names with no prefix (at most one).</param>
public sealed record UpstreamRemote(string Name, Uri Url, string? Prefix)
{
    /// <summary>Docker Hub's registry, whose one-part names are official images under <c>library/</c>.</summary>
    public bool IsDockerHub => Url.Host is "registry-1.docker.io" or "index.docker.io" or "docker.io" || Name == "docker.io";

    /// <summary>Whether containerd's <c>ns</c> (the registry host the client asked for) means this remote.</summary>
    public bool Answers(string ns) =>
        string.Equals(ns, Name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(ns, Url.Authority, StringComparison.OrdinalIgnoreCase)
        || string.Equals(ns, Url.Host, StringComparison.OrdinalIgnoreCase)
        || (IsDockerHub && ns is "docker.io" or "index.docker.io" or "registry-1.docker.io");
}
