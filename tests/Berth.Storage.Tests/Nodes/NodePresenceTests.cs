using System.Text;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.Nodes;
using Berth.Storage.Tests.Helpers;
using Xunit;

namespace Berth.Storage.Tests.Nodes;

/// <summary>Presence records: what they hold, when they go stale, which ones stop an offline collection.</summary>
public sealed class NodePresenceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(10);
    private readonly FixedTimeProvider _time = new(Start);
    private readonly InMemoryDriver _driver = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NodePresence Node(string id, bool takesPushes = true, bool collectsOnline = false) =>
        new(id, "host-" + id, 1234, Start, Start, Beat, takesPushes, collectsOnline);

    [Fact]
    public void ToJson_Parse_RoundTripsEveryField()
    {
        var node = Node("a", collectsOnline: true) with { LastBeat = Start.AddSeconds(7), BeatInterval = TimeSpan.FromMilliseconds(250) };

        Assert.Equal(node, NodePresence.Parse(node.ToJson()));
    }

    [Fact]
    public void ToJson_AnyBeat_SameSize()
    {
        var node = Node("a");

        Assert.Equal(node.ToJson().Length, node.Beat(Start.AddTicks(1234567)).ToJson().Length);
        Assert.Equal(node.ToJson().Length, node.Beat(Start.AddDays(400)).ToJson().Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"node\":\"a\"")]
    [InlineData("{\"node\":\"a\",\"host\":\"h\"}")]
    [InlineData("[1,2]")]
    public void Parse_NotARecord_IsNull(string content) => Assert.Null(NodePresence.Parse(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void IsLiveAt_UpToThreeBeatsAfterTheLast_LiveThenStale()
    {
        var node = Node("a");

        Assert.True(node.IsLiveAt(Start));
        Assert.True(node.IsLiveAt(Start + (3 * Beat)));
        Assert.False(node.IsLiveAt(Start + (3 * Beat) + TimeSpan.FromMilliseconds(1)));
        Assert.True(node.Beat(Start + (3 * Beat)).IsLiveAt(Start + (5 * Beat)));
    }

    [Fact]
    public void Describe_NamesHostPidStartAndWhatTheNodeDoes()
    {
        Assert.Equal("host host-a, pid 1234, running since 2026-12-01 05:00:00Z: takes pushes and runs online garbage collection",
            Node("a", collectsOnline: true).Describe());
        Assert.EndsWith(": takes pushes", Node("b").Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_RecordLiesUnderBerthNodesAndNowhereRegistryTwoReads()
    {
        var store = new NodePresenceStore(_driver);

        await store.WriteAsync(Node("a"), Ct);

        Assert.NotNull(await _driver.StatAsync(BerthPaths.Node("a"), Ct));
        Assert.Equal("docker/registry/v2/_berth/nodes/a", BerthPaths.Node("a").Value);
    }

    [Fact]
    public async Task LiveWritersAsync_OnlyLiveNodesThatChangeTheStore()
    {
        var store = new NodePresenceStore(_driver);
        await store.WriteAsync(Node("pushes"), Ct);
        await store.WriteAsync(Node("collects", takesPushes: false, collectsOnline: true), Ct);
        await store.WriteAsync(Node("readonly", takesPushes: false), Ct);
        await store.WriteAsync(Node("killed") with { LastBeat = Start - (4 * Beat) }, Ct);
        await _driver.WriteAllAsync(BerthPaths.Node("torn"), Encoding.UTF8.GetBytes("{\"node\":"), Ct);

        var live = await store.LiveWritersAsync(_time.GetUtcNow(), Ct);

        Assert.Equal(["collects", "pushes"], live.Select(node => node.NodeId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LiveWritersAsync_NoRecordsFolder_Nothing()
    {
        Assert.Empty(await new NodePresenceStore(_driver).LiveWritersAsync(_time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task RemoveStaleAsync_RemovesOnlyTheRecordsOfDeadNodes()
    {
        var store = new NodePresenceStore(_driver);
        await store.WriteAsync(Node("live"), Ct);
        await store.WriteAsync(Node("killed"), Ct);
        _time.Now = Start + (3 * Beat) + TimeSpan.FromSeconds(1);
        await store.WriteAsync(Node("live").Beat(_time.Now), Ct);

        var removed = await store.RemoveStaleAsync(_time.GetUtcNow(), Ct);

        Assert.Equal(1, removed);
        Assert.Equal(["live"], (await store.ReadAllAsync(Ct)).Select(node => node.NodeId));
    }
}
