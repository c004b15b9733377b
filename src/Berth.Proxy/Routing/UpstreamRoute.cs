namespace Berth.Proxy.Routing;

/// <summary>Where a repository of this registry comes from: a remote, and the repository's name there.</summary>
public sealed record UpstreamRoute(UpstreamRemote Remote, string UpstreamRepository);
