using Berth.Core;
using Berth.Storage.Retention;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Retention;

public sealed class PullRecorderTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly FixedTimeProvider _time = new(Noon);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Flush_PullsOfTwoRepositories_OneWritePerRepositoryWithTheLastTimePerReference()
    {
        var recorder = new PullRecorder(_time);
        var store = new MemoryPulls();
        var digest = Digest.Compute("m"u8);
        recorder.Record(RepositoryName.Parse("app"), Reference.Of(Tag.Parse("latest")));
        _time.Now = Noon.AddSeconds(5);
        recorder.Record(RepositoryName.Parse("app"), Reference.Of(Tag.Parse("latest")));
        recorder.Record(RepositoryName.Parse("app"), Reference.Of(digest));
        recorder.Record(RepositoryName.Parse("tools"), Reference.Of(Tag.Parse("v1")));

        await recorder.FlushAsync(store, Ct);

        Assert.Equal(2, store.Writes);
        var app = await store.ReadAsync(RepositoryName.Parse("app"), Ct);
        Assert.Equal(Noon.AddSeconds(5), app["latest"]);
        Assert.Equal(Noon.AddSeconds(5), app[digest.ToString()]);
        Assert.Equal(0, recorder.Pending);
    }

    [Fact]
    public async Task Flush_StoreFails_PullsStayForTheNextFlush()
    {
        var recorder = new PullRecorder(_time);
        recorder.Record(RepositoryName.Parse("app"), Reference.Of(Tag.Parse("latest")));
        var store = new MemoryPulls { Failing = true };

        await Assert.ThrowsAsync<IOException>(() => recorder.FlushAsync(store, Ct));
        Assert.Equal(1, recorder.Pending);

        store.Failing = false;
        await recorder.FlushAsync(store, Ct);
        Assert.Equal(Noon, (await store.ReadAsync(RepositoryName.Parse("app"), Ct))["latest"]);
        Assert.Equal(0, recorder.Pending);
    }

    [Fact]
    public async Task Flush_PullDuringTheWrite_StaysForTheNextFlush()
    {
        var recorder = new PullRecorder(_time);
        var app = RepositoryName.Parse("app");
        recorder.Record(app, Reference.Of(Tag.Parse("latest")));
        var store = new MemoryPulls
        {
            DuringWrite = () =>
            {
                _time.Now = Noon.AddMinutes(1);
                recorder.Record(app, Reference.Of(Tag.Parse("latest")));
            },
        };

        await recorder.FlushAsync(store, Ct);

        Assert.Equal(1, recorder.Pending);
        store.DuringWrite = null;
        await recorder.FlushAsync(store, Ct);
        Assert.Equal(Noon.AddMinutes(1), (await store.ReadAsync(app, Ct))["latest"]);
    }

    private sealed class MemoryPulls : IPullTimeStore
    {
        private readonly Dictionary<RepositoryName, Dictionary<string, DateTimeOffset>> _pulls = [];

        public bool Failing { get; set; }

        public Action? DuringWrite { get; set; }

        public int Writes { get; private set; }

        public Task<IReadOnlyDictionary<string, DateTimeOffset>> ReadAsync(RepositoryName repository, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(_pulls.GetValueOrDefault(repository) ?? []);

        public Task RecordAsync(RepositoryName repository, IReadOnlyDictionary<string, DateTimeOffset> pulls, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new IOException("storage away");
            }

            DuringWrite?.Invoke();
            Writes++;
            var recorded = _pulls.TryGetValue(repository, out var existing) ? existing : _pulls[repository] = [];
            foreach (var (key, at) in pulls)
            {
                recorded[key] = at > recorded.GetValueOrDefault(key) ? at : recorded[key];
            }

            return Task.CompletedTask;
        }

        public Task ForgetAsync(RepositoryName repository, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}
