namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// The tests of the Berth container image: one dockerd with the default bridge (so <c>-p</c> publishes ports) and one
/// image build for all of them. One collection, so its tests never run in parallel with each other, and its daemon
/// is the only one on the machine that owns docker0 (the other docker tests run their daemon with no bridge).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ContainerTestGroup : ICollectionFixture<ContainerFixture>
{
    public const string Name = "container";
}
