using Berth.Core;
using Berth.Storage.Drivers;

namespace Berth.Storage.Layout;

/// <summary>
/// Berth's own files inside the registry tree, beside <see cref="RegistryPaths"/>:
/// <code>
/// _berth/nodes/&lt;node id&gt;                  presence record of a running berth serve (JSON), rewritten every beat
/// _berth/usage.json                          storage used per repository (JSON), rewritten after each mark of GC
/// _berth/spool/                              blobs on their way in from a proxy upstream (filesystem only)
/// repositories/&lt;name&gt;/_berth/pulls        last pull of each tag and digest of the repository (JSON), for retention
/// </code>
/// registry:2 reads only <c>repositories/</c> and <c>blobs/</c>, and skips a repository's folders starting with
/// <c>_</c> that it does not know, so it never sees <c>_berth/</c>; neither collector walks it, the catalog does not
/// count it as a repository's content, and deleting the repository deletes it with the other <c>_</c> folders.
/// </summary>
public static class BerthPaths
{
    public static StoragePath Berth { get; } = RegistryPaths.V2.Append("_berth");

    public static StoragePath Nodes { get; } = Berth.Append("nodes");

    public static StoragePath Node(string nodeId) => Nodes.Append(nodeId);

    public static StoragePath Usage { get; } = Berth.Append("usage.json");

    public const string RepositoryFolder = "_berth";

    public static StoragePath RepositoryPulls(RepositoryName name) => RegistryPaths.Repository(name).Append(RepositoryFolder, "pulls");
}
