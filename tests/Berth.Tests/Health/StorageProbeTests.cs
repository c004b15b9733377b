using Berth.Health;
using Berth.Storage.Drivers;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Health;

/// <summary>
/// The storage check over real folders. A read-only folder does not stop root (tests run as root in CI), so the
/// failures here are ones that stop anyone: a root that is a file, a root under a file.
/// </summary>
public sealed class StorageProbeTests : IDisposable
{
    private readonly TempDirectory _temp = new("berth-probe");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StorageAsync_WritableRoot_PassesAndLeavesNoFile()
    {
        var root = Directory.CreateDirectory(_temp.Combine("root")).FullName;

        await HealthProbes.StorageAsync(new FilesystemDriver(root), TestContext.Current.CancellationToken);

        Assert.Empty(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task StorageAsync_RootIsAFile_Fails()
    {
        var root = _temp.Combine("root");
        await File.WriteAllTextAsync(root, "not a folder", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => HealthProbes.StorageAsync(new FilesystemDriver(root), TestContext.Current.CancellationToken));
        Assert.Contains("not a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageAsync_RootUnderAFile_Fails()
    {
        var file = _temp.Combine("file");
        await File.WriteAllTextAsync(file, "", TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<IOException>(() => HealthProbes.StorageAsync(new FilesystemDriver(Path.Combine(file, "root")), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StorageAsync_InMemory_Passes()
    {
        await HealthProbes.StorageAsync(new InMemoryDriver(), TestContext.Current.CancellationToken);
    }
}
