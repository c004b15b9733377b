using Berth.Hosting.Privileges;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>What <c>serve --user</c> gives the service user before dropping root: the store, and nothing beyond it.</summary>
public sealed class StorageOwnershipTests : IDisposable
{
    private static readonly ServiceUser User = new(1654, 1654);
    private readonly TempDirectory _work = new("berth-owner");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task GiveTo_RootIsALink_TargetFolderAndContentGivenLinkedOutsiderNot()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the test suite runs as root (scripts/test.sh installs packages)");
        var store = Directory.CreateDirectory(_work.Combine("srv-data")).FullName;
        var blob = Directory.CreateDirectory(Path.Combine(store, "docker/registry/v2/blobs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(blob, "data"), "x", TestContext.Current.CancellationToken);
        var outside = Directory.CreateDirectory(_work.Combine("outside")).FullName;
        File.CreateSymbolicLink(Path.Combine(store, "link-out"), outside);
        var root = _work.Combine("registry");
        File.CreateSymbolicLink(root, store);

        var changed = StorageOwnership.GiveTo(root, User);

        Assert.Equal(7, changed); // the store, then docker, registry, v2, blobs, data and the link itself
        foreach (var path in new[] { store, blob, Path.Combine(blob, "data"), Path.Combine(store, "link-out") })
        {
            Assert.Equal(1654u, await FileOwner.OfAsync(path));
        }

        Assert.Equal(0u, await FileOwner.OfAsync(outside));
        Assert.Equal(0u, await FileOwner.OfAsync(root));
    }
}
