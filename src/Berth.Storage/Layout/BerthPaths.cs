using Berth.Storage.Drivers;

namespace Berth.Storage.Layout;

/// <summary>
/// Berth's own files inside the registry tree, beside <see cref="RegistryPaths"/>:
/// <code>
/// _berth/nodes/&lt;node id&gt;     presence record of a running berth serve (JSON), rewritten every beat
/// _berth/usage.json           storage used per repository (JSON), rewritten after each mark of garbage collection
/// </code>
/// registry:2 reads only <c>repositories/</c> and <c>blobs/</c>, so it never sees <c>_berth/</c>; neither
/// collector walks it.
/// </summary>
public static class BerthPaths
{
    public static StoragePath Berth { get; } = RegistryPaths.V2.Append("_berth");

    public static StoragePath Nodes { get; } = Berth.Append("nodes");

    public static StoragePath Node(string nodeId) => Nodes.Append(nodeId);

    public static StoragePath Usage { get; } = Berth.Append("usage.json");
}
