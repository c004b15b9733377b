using Berth.Cli;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>Which of the image's two config paths is in use, in a root laid out as the image and the usual mounts leave it.</summary>
public sealed class ContainerConfigFileTests : IDisposable
{
    private readonly TempDirectory _root = new("berth-image-root");

    private string Current => _root.Path + ContainerConfigFile.Current;

    private string Legacy => _root.Path + ContainerConfigFile.Legacy;

    [Fact]
    public void Resolve_AsTheImageShipsIt_TheCurrentPath()
    {
        ShipImageDefault();

        Assert.Equal(Current, ContainerConfigFile.Resolve(_root.Path));
    }

    [Fact]
    public void Resolve_FolderMountedOverTheLegacyFolder_TheLegacyFile()
    {
        ShipImageDefault();
        File.Delete(Legacy);
        File.WriteAllText(Legacy, "version: 0.1\n");

        Assert.Equal(Legacy, ContainerConfigFile.Resolve(_root.Path));
    }

    [Fact]
    public void Resolve_ConfigMapOverTheLegacyFolder_TheLegacyFileThoughItIsALink()
    {
        ShipImageDefault();
        File.Delete(Legacy);
        var data = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(Legacy)!, "..data")).FullName;
        File.WriteAllText(Path.Combine(data, "config.yml"), "version: 0.1\n");
        File.CreateSymbolicLink(Legacy, "..data/config.yml");

        Assert.Equal(Legacy, ContainerConfigFile.Resolve(_root.Path));
    }

    [Fact]
    public void Resolve_OnlyTheLegacyFile_TheLegacyFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Legacy)!);
        File.WriteAllText(Legacy, "version: 0.1\n");

        Assert.Equal(Legacy, ContainerConfigFile.Resolve(_root.Path));
    }

    [Fact]
    public void Resolve_Neither_NullForTheBuiltInDefault()
    {
        Assert.Null(ContainerConfigFile.Resolve(_root.Path));
    }

    public void Dispose() => _root.Dispose();

    /// <summary>The default at the current path, the legacy path a link to it (docker resolves the link when mounting).</summary>
    private void ShipImageDefault()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Current)!);
        Directory.CreateDirectory(Path.GetDirectoryName(Legacy)!);
        File.WriteAllText(Current, "version: 0.1\n");
        File.CreateSymbolicLink(Legacy, Current);
    }
}
