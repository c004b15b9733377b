using System.Diagnostics;
using System.Runtime.CompilerServices;
using Berth.Storage.Drivers;

namespace Berth.Metrics;

/// <summary>
/// Times every storage call as <c>registry_storage_action_seconds{driver,action}</c>, registered only with metrics on.
/// Actions carry the names of registry:2's driver methods (base.go): GetContent, PutContent, Stat, List, Move, Delete, so
/// its dashboards read them; Reader and Writer (opening a stream, not reading it) are timed too, which registry:2 does not.
/// A call that throws is timed as well, as registry:2 times failed calls. Each method awaits inside its own try, rather
/// than handing the inner task to a shared helper, so that a driver that throws before returning a task is timed too.
/// </summary>
internal sealed class MeteredStorageDriver(IStorageDriver inner, string driver, BerthMetrics metrics) : IStorageDriver
{
    public async Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.StatAsync(path, cancellationToken);
        }
        finally
        {
            Done("Stat", started);
        }
    }

    public async Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.OpenReadAsync(path, offset, cancellationToken);
        }
        finally
        {
            Done("Reader", started);
        }
    }

    public async Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.ReadAllAsync(path, cancellationToken);
        }
        finally
        {
            Done("GetContent", started);
        }
    }

    public async Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await inner.WriteAllAsync(path, content, cancellationToken);
        }
        finally
        {
            Done("PutContent", started);
        }
    }

    public async Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.OpenWriteAsync(path, append, cancellationToken);
        }
        finally
        {
            Done("Writer", started);
        }
    }

    /// <summary>Timed from the first item asked for to the last one given, as registry's List returns them all at once.</summary>
    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var entry in inner.ListAsync(directory, cancellationToken))
            {
                yield return entry;
            }
        }
        finally
        {
            Done("List", started);
        }
    }

    public async Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await inner.MoveAsync(source, destination, cancellationToken);
        }
        finally
        {
            Done("Move", started);
        }
    }

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await inner.DeleteAsync(path, cancellationToken);
        }
        finally
        {
            Done("Delete", started);
        }
    }

    /// <summary>Not timed: a path computation, no I/O (registry's URLFor is the nearest, and it is a presign).</summary>
    public string? LocalPath(StoragePath path) => inner.LocalPath(path);

    /// <summary>Not timed: a presign is a signature computed locally, no I/O.</summary>
    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadUrlAsync(path, cancellationToken);

    private void Done(string action, long started) => metrics.StorageAction(driver, action, Stopwatch.GetElapsedTime(started).TotalSeconds);
}
