using Berth.Storage.Drivers;

namespace Berth.Storage.Tracing;

/// <summary>A writer whose commit, the moment content becomes visible, is a span of its own.</summary>
internal sealed class TracingStorageWriter(IStorageWriter inner, StoragePath path, string driverName) : IStorageWriter
{
    public long Size => inner.Size;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        using var activity = TracingStorageDriver.StartActivity("storage.commit", path, driverName);
        await TracingStorageDriver.Traced(activity, () => inner.CommitAsync(cancellationToken));
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
