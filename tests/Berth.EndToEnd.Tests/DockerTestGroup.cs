namespace Berth.EndToEnd.Tests;

/// <summary>The docker tests share one daemon and run one after the other (they tag and remove the same names).</summary>
[CollectionDefinition(Name)]
public sealed class DockerTestGroup : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}
