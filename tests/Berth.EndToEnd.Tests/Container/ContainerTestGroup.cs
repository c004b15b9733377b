namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// The tests of the Berth container image: one dockerd with the default bridge (so <c>-p</c> publishes ports) and one
/// image build for all of them. The collection runs alone, after every parallel collection has finished and disposed
/// its fixtures: a dockerd started with <c>--bridge=none</c> (the other docker tests' daemon) deletes an existing
/// docker0 as it starts, which would pull the bridge from under this daemon if the two started side by side.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerTestGroup : ICollectionFixture<ContainerFixture>
{
    public const string Name = "container";
}
