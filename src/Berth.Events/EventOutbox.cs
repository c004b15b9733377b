using System.Globalization;
using Berth.Storage.Drivers;

namespace Berth.Events;

/// <summary>
/// The durable queue of one endpoint: each event is a file named by its sequence number, written through the storage
/// driver (temp file, fsync, rename), so an event appended before a response was sent survives a crash, and a new
/// outbox over the same folder continues where the old one stopped. At most <c>capacity</c> events are kept; an
/// event that finds the queue full is dropped and counted, never silently.
/// </summary>
/// <remarks>
/// A sequence number is handed out under a short lock and the file written outside it, so concurrent requests do
/// not wait for each other's fsync. Order holds because the sender only takes an event when no event with a lower
/// number is still being written. One node owns a folder: nodes that share storage need a shared queue (the planned
/// Redis one), not this.
/// </remarks>
internal sealed class EventOutbox(IStorageDriver driver, StoragePath folder, int capacity) : IDisposable
{
    private const string Extension = ".json";
    private readonly SemaphoreSlim _available = new(0);
    private readonly SortedSet<long> _queued = [];
    private readonly SortedSet<long> _writing = [];
    private long _next = 1;
    private long _dropped;

    public int Count
    {
        get
        {
            lock (_queued)
            {
                return _queued.Count + _writing.Count;
            }
        }
    }

    /// <summary>Events refused since start because the queue was full.</summary>
    public long Dropped
    {
        get
        {
            lock (_queued)
            {
                return _dropped;
            }
        }
    }

    /// <summary>Reads the events a previous run left queued. Call once, before the first append.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var found = new List<long>();
        await foreach (var entry in driver.ListAsync(folder, cancellationToken))
        {
            if (!entry.IsDirectory && TryParseSequence(entry.Path.Name, out var sequence))
            {
                found.Add(sequence);
            }
        }

        lock (_queued)
        {
            _queued.UnionWith(found);
            _next = _queued.Count > 0 ? _queued.Max + 1 : 1;
        }

        if (found.Count > 0)
        {
            _available.Release();
        }
    }

    /// <summary>Stores the event durably and queues it for sending.</summary>
    /// <returns>False when the queue was full and the event was dropped (and counted).</returns>
    public async Task<bool> AppendAsync(ReadOnlyMemory<byte> storedEvent, CancellationToken cancellationToken)
    {
        long sequence;
        lock (_queued)
        {
            if (_queued.Count + _writing.Count >= capacity)
            {
                _dropped++;
                return false;
            }

            sequence = _next++;
            _writing.Add(sequence);
        }

        try
        {
            await driver.WriteAllAsync(PathOf(sequence), storedEvent, cancellationToken);
        }
        catch
        {
            // Nothing was published under this number; the gap it leaves is harmless.
            lock (_queued)
            {
                _writing.Remove(sequence);
            }

            _available.Release();
            throw;
        }

        lock (_queued)
        {
            _writing.Remove(sequence);
            _queued.Add(sequence);
        }

        _available.Release();
        return true;
    }

    /// <summary>The oldest queued event, waiting for one when the queue is empty. It stays queued until removed.</summary>
    public async Task<OutboxEntry> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long sequence;
            lock (_queued)
            {
                // The oldest written event, unless an older one is still being written: order before progress.
                sequence = _queued.Count > 0 && (_writing.Count == 0 || _queued.Min < _writing.Min) ? _queued.Min : 0;
            }

            if (sequence == 0)
            {
                await _available.WaitAsync(cancellationToken);
                continue;
            }

            var content = await driver.ReadAllAsync(PathOf(sequence), cancellationToken);
            if (content is not null)
            {
                return new OutboxEntry(sequence, content);
            }

            // Removed behind our back (by hand, say): nothing to send for it.
            Dequeue(sequence);
        }
    }

    /// <summary>Forgets the oldest event once it was delivered.</summary>
    public async Task RemoveAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        await driver.DeleteAsync(PathOf(entry.Sequence), cancellationToken);
        Dequeue(entry.Sequence);
    }

    public void Dispose() => _available.Dispose();

    private void Dequeue(long sequence)
    {
        lock (_queued)
        {
            _queued.Remove(sequence);
        }
    }

    // Fixed width keeps a plain listing in order for whoever looks at the folder.
    private StoragePath PathOf(long sequence) =>
        folder.Append(sequence.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    private static bool TryParseSequence(string name, out long sequence)
    {
        sequence = 0;
        return name.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            && sequence > 0;
    }
}

/// <summary>A queued event: its place in the queue and its stored JSON.</summary>
internal sealed record OutboxEntry(long Sequence, byte[] Content);
