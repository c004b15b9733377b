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
/// number is still being written. One node owns a folder: nodes that share storage share a queue in Redis instead
/// (Berth.Redis), and this outbox is then only read once at start, to move what a single-node run left behind.
/// </remarks>
internal sealed class EventOutbox(IStorageDriver driver, StoragePath folder, int capacity) : IEventOutbox
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

    public async Task<QueuedEvent> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryPeekAsync(cancellationToken) is { } oldest)
            {
                return oldest;
            }

            await _available.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The oldest queued event, or null when none is ready: the queue is empty, or an older one is still being written.</summary>
    internal async Task<QueuedEvent?> TryPeekAsync(CancellationToken cancellationToken)
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
                return null;
            }

            var content = await driver.ReadAllAsync(PathOf(sequence), cancellationToken);
            if (content is not null)
            {
                return new QueuedEvent(NameOf(sequence), content);
            }

            // Removed behind our back (by hand, say): nothing to send for it.
            Dequeue(sequence);
        }
    }

    public async Task RemoveAsync(QueuedEvent queued, CancellationToken cancellationToken)
    {
        if (!TryParsePosition(queued.Position, out var sequence))
        {
            throw new ArgumentException($"not an event of this outbox: {queued.Position}", nameof(queued));
        }

        await driver.DeleteAsync(PathOf(sequence), cancellationToken);
        Dequeue(sequence);
    }

    public void Dispose() => _available.Dispose();

    private void Dequeue(long sequence)
    {
        lock (_queued)
        {
            _queued.Remove(sequence);
        }
    }

    private StoragePath PathOf(long sequence) => folder.Append(NameOf(sequence) + Extension);

    // Fixed width keeps a plain listing in order for whoever looks at the folder.
    private static string NameOf(long sequence) => sequence.ToString("D20", CultureInfo.InvariantCulture);

    private static bool TryParseSequence(string name, out long sequence)
    {
        sequence = 0;
        return name.EndsWith(Extension, StringComparison.Ordinal) && TryParsePosition(name.AsSpan(0, name.Length - Extension.Length), out sequence);
    }

    private static bool TryParsePosition(ReadOnlySpan<char> position, out long sequence) =>
        long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out sequence) && sequence > 0;
}
