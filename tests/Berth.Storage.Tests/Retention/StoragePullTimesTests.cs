using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.Retention;
using Berth.Storage.State;
using Berth.TestKit;

namespace Berth.Storage.Tests.Retention;

/// <summary>Pull times in a filesystem store: the conformance suite, and where the file sits and who overlooks it.</summary>
public sealed class StoragePullTimesTests : PullTimeStoreConformanceTests, IDisposable
{
    private readonly TempDirectory _temp = new("berth-pulls");
    private readonly FilesystemDriver _driver;
    private readonly StoragePullTimes _pulls;

    public StoragePullTimesTests()
    {
        _driver = new FilesystemDriver(_temp.Path);
        _pulls = new StoragePullTimes(_driver);
    }

    public void Dispose()
    {
        _pulls.Dispose();
        _temp.Dispose();
    }

    protected override async Task<IPullTimeStore> CreateAsync(params RepositoryName[] repositories)
    {
        foreach (var name in repositories)
        {
            await MakeRepositoryAsync(name);
        }

        return _pulls;
    }

    [Fact]
    public async Task Record_WritesOneJsonFileUnderTheRepositorysBerthFolder()
    {
        var app = RepositoryName.Parse("team/app");
        await MakeRepositoryAsync(app);

        await _pulls.RecordAsync(app, Pulls(("latest", Noon)), Ct);

        var file = Path.Combine(_temp.Path, "docker/registry/v2/repositories/team/app/_berth/pulls");
        Assert.Equal("""{"pulls":{"latest":"2026-01-15T12:00:00.0000000Z"}}""", await File.ReadAllTextAsync(file, Ct));
    }

    [Fact]
    public async Task Record_RepositoryGoneSinceThePull_WritesNothing()
    {
        var gone = RepositoryName.Parse("gone");

        await _pulls.RecordAsync(gone, Pulls(("latest", Noon)), Ct);

        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "docker/registry/v2/repositories/gone")));
    }

    [Fact]
    public async Task Read_FileThatIsNoRecord_IsEmptyAndTheNextFlushRewritesIt()
    {
        var app = RepositoryName.Parse("app");
        await MakeRepositoryAsync(app);
        await _driver.WriteAllAsync(BerthPaths.RepositoryPulls(app), "{torn"u8.ToArray(), Ct);

        Assert.Empty(await _pulls.ReadAsync(app, Ct));
        await _pulls.RecordAsync(app, Pulls(("v1", Noon)), Ct);
        Assert.Equal(Noon, (await _pulls.ReadAsync(app, Ct))["v1"]);
    }

    [Fact]
    public async Task BerthFolder_IsNoRepositoryContentForTheCatalog()
    {
        // Pulls recorded for team/app leave team/app/_berth; the catalog still finds team/app alone.
        var app = RepositoryName.Parse("team/app");
        await MakeRepositoryAsync(app);
        await _pulls.RecordAsync(app, Pulls(("latest", Noon)), Ct);
        await _driver.WriteAllAsync(BerthPaths.RepositoryPulls(RepositoryName.Parse("team")), "{}"u8.ToArray(), Ct);

        Assert.Equal(["team/app"], await CatalogScan.FindAsync(_driver, Ct));
    }

    private Task MakeRepositoryAsync(RepositoryName name) =>
        _driver.WriteLinkAsync(RegistryPaths.RevisionLink(name, Digest.Compute("m"u8)), Digest.Compute("m"u8), Ct);
}
