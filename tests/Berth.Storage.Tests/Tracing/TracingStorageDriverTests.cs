using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Berth.Storage.Drivers;
using Berth.Storage.Tracing;

namespace Berth.Storage.Tests.Tracing;

/// <summary>
/// The spans the decorator makes. The listener is process-wide and tests run in parallel, so each test starts its own
/// root activity and keeps only the spans of that trace.
/// </summary>
public sealed class TracingStorageDriverTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly Activity _root;
    private readonly TracingStorageDriver _driver = new(new InMemoryDriver(), "inmemory");

    public TracingStorageDriverTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StorageTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _root = new Activity("test root").Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private List<Activity> Spans => [.. _stopped.Where(a => a.TraceId == _root.TraceId)];

    [Fact]
    public async Task StatAsync_WithListener_RecordsChildClientSpanWithPathAndDriver()
    {
        await _driver.StatAsync(StoragePath.Parse("a/b"), Ct);

        var span = Assert.Single(Spans);
        Assert.Equal("storage.stat", span.OperationName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(_root.SpanId, span.ParentSpanId);
        Assert.Equal("a/b", span.GetTagItem(StorageTracing.PathAttribute));
        Assert.Equal("inmemory", span.GetTagItem(StorageTracing.DriverAttribute));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Operations_WithListener_OneSpanEach()
    {
        var file = StoragePath.Parse("dir/file");
        await _driver.WriteAllAsync(file, Encoding.UTF8.GetBytes("x"), Ct);
        await _driver.ReadAllAsync(file, Ct);
        await using (var stream = await _driver.OpenReadAsync(file, 0, Ct))
        {
            Assert.NotNull(stream);
        }

        await foreach (var _ in _driver.ListAsync(StoragePath.Parse("dir"), Ct))
        {
        }

        await _driver.MoveAsync(file, StoragePath.Parse("dir/moved"), Ct);
        await _driver.DeleteAsync(StoragePath.Parse("dir/moved"), Ct);

        string[] expected = ["storage.write", "storage.read", "storage.read", "storage.list", "storage.move", "storage.delete"];
        Assert.Equal(expected, Spans.Select(s => s.OperationName));
        Assert.Equal("dir/moved", Spans.Single(s => s.OperationName == "storage.move").GetTagItem(StorageTracing.DestinationAttribute));
    }

    [Fact]
    public async Task OpenWriteAsync_Committed_SpansForOpenAndCommit()
    {
        var path = StoragePath.Parse("blob");
        await using (var writer = await _driver.OpenWriteAsync(path, append: false, Ct))
        {
            await writer.WriteAsync(Encoding.UTF8.GetBytes("content"), Ct);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal(["storage.write", "storage.commit"], Spans.Select(s => s.OperationName));
        Assert.Equal("content", Encoding.UTF8.GetString((await _driver.ReadAllAsync(path, Ct))!));
    }

    [Fact]
    public async Task MoveAsync_InnerThrows_SpanMarkedErrorAndExceptionKept()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            _driver.MoveAsync(StoragePath.Parse("missing"), StoragePath.Parse("elsewhere"), Ct));

        var span = Assert.Single(Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(FileNotFoundException).FullName, span.GetTagItem("error.type"));
    }

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
    }
}
