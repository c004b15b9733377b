using System.Diagnostics;
using System.Runtime.CompilerServices;
using Berth.Storage.Drivers;

namespace Berth.Storage.Tracing;

/// <summary>
/// Decorates a driver with one client span per storage operation (stat, read, write, commit, list, move, delete), a
/// child of the request's span. The host wraps the driver with it only when tracing is on, so a registry without
/// tracing does not pay even the check for a listener.
/// </summary>
public sealed class TracingStorageDriver(IStorageDriver inner, string driverName) : IStorageDriver
{
    public async Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        using var activity = Start("storage.stat", path);
        return await Traced(activity, () => inner.StatAsync(path, cancellationToken));
    }

    /// <remarks>The span covers opening the stream; the bytes are read later, by whoever holds it.</remarks>
    public async Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken)
    {
        using var activity = Start("storage.read", path);
        return await Traced(activity, () => inner.OpenReadAsync(path, offset, cancellationToken));
    }

    public async Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken)
    {
        using var activity = Start("storage.read", path);
        return await Traced(activity, () => inner.ReadAllAsync(path, cancellationToken));
    }

    public async Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var activity = Start("storage.write", path);
        await Traced(activity, () => inner.WriteAllAsync(path, content, cancellationToken));
    }

    /// <remarks>
    /// Opening gets a span of its own; the bytes written through the writer do not (one span per buffer would bury
    /// the trace), and the commit, where content becomes visible, gets <c>storage.commit</c>.
    /// </remarks>
    public async Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken)
    {
        using var activity = Start("storage.write", path);
        var writer = await Traced(activity, () => inner.OpenWriteAsync(path, append, cancellationToken));
        return new TracingStorageWriter(writer, path, driverName);
    }

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = Start("storage.list", directory);
        await using var entries = inner.ListAsync(directory, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await entries.MoveNextAsync();
            }
            catch (Exception e)
            {
                Failed(activity, e);
                throw;
            }

            if (!more)
            {
                yield break;
            }

            yield return entries.Current;
        }
    }

    public async Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        using var activity = Start("storage.move", source);
        activity?.SetTag(StorageTracing.DestinationAttribute, destination.Value);
        await Traced(activity, () => inner.MoveAsync(source, destination, cancellationToken));
    }

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        using var activity = Start("storage.delete", path);
        await Traced(activity, () => inner.DeleteAsync(path, cancellationToken));
    }

    /// <remarks>No span: a string computation, no I/O.</remarks>
    public string? LocalPath(StoragePath path) => inner.LocalPath(path);

    /// <remarks>No span: a presign is a local signature computation, no I/O.</remarks>
    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadUrlAsync(path, cancellationToken);

    private Activity? Start(string name, StoragePath path) => StartActivity(name, path, driverName);

    internal static Activity? StartActivity(string name, StoragePath path, string driverName)
    {
        var activity = StorageTracing.Source.StartActivity(name, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(StorageTracing.DriverAttribute, driverName);
            activity.SetTag(StorageTracing.PathAttribute, path.Value);
        }

        return activity;
    }

    /// <remarks>The operation starts inside the try: a driver may throw before it returns a task.</remarks>
    internal static async Task Traced(Activity? activity, Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception e)
        {
            Failed(activity, e);
            throw;
        }
    }

    internal static async Task<T> Traced<T>(Activity? activity, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e)
        {
            Failed(activity, e);
            throw;
        }
    }

    /// <summary>Marks the span failed; a cancelled operation is the caller's choice, not a storage failure.</summary>
    private static void Failed(Activity? activity, Exception e)
    {
        if (activity is null || e is OperationCanceledException)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, e.Message);
        activity.SetTag("error.type", e.GetType().FullName);
    }
}
