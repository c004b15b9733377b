using Berth.Core;
using Berth.Storage.Check;
using Berth.Storage.Layout;
using Berth.Storage.Retention;
using Berth.Storage.Tests.Gc;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Retention;

public sealed class FilesystemPullsFileTests() : PullsFileTests(Backend.Filesystem);

public sealed class InMemoryPullsFileTests() : PullsFileTests(Backend.InMemory);

/// <summary>
/// The pulls file in a repository's <c>_berth</c> folder is Berth's own: the collector leaves it alone and reports the
/// same lines as without it, <c>berth check</c> finds nothing to say about it, and deleting the repository deletes it.
/// </summary>
public abstract class PullsFileTests(Backend backend) : GcTestBase(backend)
{
    private static readonly RepositoryName App = RepositoryName.Parse("team/app");

    [Fact]
    public async Task Collect_RepositoryWithPullTimes_SameReportAndTheFileStays()
    {
        var repository = await RepositoryAsync(App.Value);
        await PushImageAsync(repository, Image(1), "v1");
        await CollectAsync(dryRun: true, deleteUntagged: true);
        var without = Output;
        await RecordPullAsync();

        await CollectAsync(deleteUntagged: true);

        Assert.Equal(without, Output);
        Assert.NotNull(await Driver.StatAsync(BerthPaths.RepositoryPulls(App), Ct));
    }

    [Fact]
    public async Task Check_RepositoryWithPullTimes_FindsNothing()
    {
        await PushImageAsync(await RepositoryAsync(App.Value), Image(1), "v1");
        await RecordPullAsync();

        var result = await IntegrityChecker.RunAsync(Driver, new IntegrityCheckOptions(), new SilentObserver(), Ct);

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.Repositories);
    }

    [Fact]
    public async Task DeleteRepository_RemovesItsPullTimesToo()
    {
        var store = await OpenStoreAsync(deleteEnabled: true);
        await PushImageAsync(store.Repository(App), Image(1), "v1");
        await RecordPullAsync();

        Assert.NotNull(await store.DeleteRepositoryAsync(App, Ct));

        Assert.Null(await Driver.StatAsync(BerthPaths.RepositoryPulls(App), Ct));
        Assert.Empty(await Berth.Storage.State.CatalogScan.FindAsync(Driver, Ct));
    }

    private async Task RecordPullAsync()
    {
        using var pulls = new StoragePullTimes(Driver);
        await pulls.RecordAsync(App, new Dictionary<string, DateTimeOffset> { ["v1"] = DateTimeOffset.UnixEpoch }, Ct);
    }

    private sealed class SilentObserver : IIntegrityCheckObserver
    {
        public Task RepositoryCheckedAsync(RepositoryName name, IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public Task BlobsCheckedAsync(IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ProgressAsync(long blobs, long bytes, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
