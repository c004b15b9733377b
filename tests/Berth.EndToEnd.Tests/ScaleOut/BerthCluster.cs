using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ScaleOut;

/// <summary>Several berth nodes with one configuration on one store; dispose stops them and logs what they said.</summary>
public sealed class BerthCluster(IReadOnlyList<BerthProcess> nodes) : IAsyncDisposable
{
    public IReadOnlyList<BerthProcess> Nodes { get; } = nodes;

    public BerthProcess this[int index] => Nodes[index];

    /// <summary>A skopeo reference to <paramref name="nameAndReference"/> on node <paramref name="index"/>.</summary>
    public string Docker(int index, string nameAndReference) => $"docker://{Nodes[index].HostPort}/{nameAndReference}";

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"----- berth on {node.HostPort} logged -----\n{node.Output}");
        }
    }
}
