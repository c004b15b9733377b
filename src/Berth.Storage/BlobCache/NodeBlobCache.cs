using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.BlobCache;

/// <summary>
/// Copies of blobs on this node's own disk, so that an object-store node serves the layers it has served before from
/// a local file instead of the bucket. Content under a digest never changes, so a copy is never stale; whether the
/// blob may still be served is decided, as always, by the store's checks against shared storage before a copy is
/// looked at. Copies are made from the bytes of a push through this node as they arrive, or in the background after a
/// pull found none; either way they are checked against their digest and renamed into place, so a crash leaves only
/// temp files, which the next start removes. Past <see cref="NodeBlobCacheOptions.MaxBytes"/> the least recently
/// served copies go.
/// </summary>
/// <remarks>
/// Layout: <c>&lt;directory&gt;/&lt;alg&gt;/&lt;hex&gt;</c> and <c>&lt;directory&gt;/tmp/</c>. The index of what is held
/// lives in memory, read from the folder at start.
/// </remarks>
public sealed partial class NodeBlobCache : IDisposable
{
    /// <summary>A copy served this recently may be in the middle of a send: eviction leaves it for later.</summary>
    internal static readonly TimeSpan InUse = TimeSpan.FromMinutes(1);

    /// <summary>A copy of a push not written to for this long belongs to an upload that ended elsewhere or was abandoned.</summary>
    internal static readonly TimeSpan AbandonedPushCopy = TimeSpan.FromHours(1);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);
    private const string PushCopyPrefix = "push-";

    private readonly NodeBlobCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _temp;
    private readonly ConcurrentDictionary<Digest, Copy> _copies = new();
    private readonly ConcurrentDictionary<Digest, Task> _filling = new();
    private readonly SemaphoreSlim _fillSlots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _evicting = new();
    private long _bytes;
    private long _lastSweepTicks;
    private bool _open;

    public NodeBlobCache(NodeBlobCacheOptions options, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _temp = Path.Combine(options.Directory, "tmp");
        _fillSlots = new SemaphoreSlim(options.ConcurrentFills);
    }

    /// <summary>Directory of the copies.</summary>
    public string Directory => _options.Directory;

    /// <summary>
    /// Makes the folder if missing, removes temp leftovers and reads what it holds. Until then the cache holds nothing
    /// and makes nothing: <c>serve</c> opens it after giving up root, so the folder belongs to the user it serves as.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be made or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be made or read.</exception>
    public void Open()
    {
        Load();
        Volatile.Write(ref _open, true);
    }

    /// <summary>Bytes held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Copies held now.</summary>
    public int Count => _copies.Count;

    /// <summary>The local copy of <paramref name="digest"/>, marked as just served; null when this node holds none.</summary>
    public string? Find(Digest digest)
    {
        if (!_copies.TryGetValue(digest, out var copy))
        {
            return null;
        }

        var file = FileOf(digest);
        if (!File.Exists(file))
        {
            // Removed behind the index's back (an operator cleaning the folder): forget it, read from the store.
            Forget(digest, copy);
            return null;
        }

        copy.LastServed = _time.GetUtcNow();
        return file;
    }

    /// <summary>
    /// Starts copying <paramref name="digest"/> from <paramref name="source"/> unless a copy is held or on its way, or
    /// too many are (<see cref="NodeBlobCacheOptions.MaxPendingFills"/>). Fills run a few at a time; one that fails (the
    /// store, the digest, the disk) is logged and tried again at the next pull.
    /// </summary>
    public void FillInBackground(Digest digest, IStorageDriver source) =>
        TryStartInBackground(digest, () => FillAsync(digest, source, _stopping.Token));

    /// <summary>
    /// Where a copy of the bytes of a push through this node is written as they arrive, named after the storage file
    /// the push writes (a blob, or an upload session's data); null when the cache is not open. Such a file becomes a
    /// copy only through <see cref="AdoptInBackground"/>; one never adopted (an upload finished on another node, or
    /// abandoned) is removed by a later sweep or the next start.
    /// </summary>
    public string? PushCopyFile(StoragePath written)
    {
        if (!Volatile.Read(ref _open) || _stopping.IsCancellationRequested)
        {
            return null;
        }

        SweepAbandonedPushCopies();
        return Path.Combine(_temp, PushCopyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(written.Value))));
    }

    /// <summary>Removes the copy in the making of <paramref name="written"/>, if any (its upload was cancelled or purged).</summary>
    public void DropPushCopy(StoragePath written)
    {
        if (PushCopyFile(written) is { } file)
        {
            TryDelete(file);
        }
    }

    /// <summary>
    /// Makes <paramref name="file"/>, written during a push, the copy of <paramref name="digest"/> once its bytes are
    /// checked against the digest (in the background, a fill slot); a file that does not match is dropped. The file is
    /// moved aside at once, so a new push of the same storage path starts a file of its own.
    /// </summary>
    public void AdoptInBackground(Digest digest, string file)
    {
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            File.Move(file, temp);
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        if (!TryStartInBackground(digest, () => PlaceVerifiedAsync(digest, temp, token => HashOfFileMatchesAsync(digest, temp, token), _stopping.Token)))
        {
            TryDelete(temp);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a fill or an adoption) in the background as the one copy of
    /// <paramref name="digest"/> on its way, unless a copy is held or on its way, the cache is closed or stopping, or
    /// too many are on their way. False when it did not start.
    /// </summary>
    private bool TryStartInBackground(Digest digest, Func<Task> work)
    {
        var started = new TaskCompletionSource();
        if (!Volatile.Read(ref _open) || _copies.ContainsKey(digest) || _stopping.IsCancellationRequested
            || _filling.Count >= _options.MaxPendingFills || !_filling.TryAdd(digest, started.Task))
        {
            return false;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            finally
            {
                _filling.TryRemove(digest, out _);
                started.SetResult();
            }
        });
        return true;
    }

    /// <summary>Completes when the fill of <paramref name="digest"/> under way now (if any) has ended.</summary>
    public Task WhenFilledAsync(Digest digest) => _filling.TryGetValue(digest, out var fill) ? fill : Task.CompletedTask;

    /// <summary>Drops this node's copy (the blob was deleted through this node).</summary>
    public void Remove(Digest digest)
    {
        if (_copies.TryGetValue(digest, out var copy))
        {
            Forget(digest, copy);
            TryDelete(FileOf(digest));
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _fillSlots.Dispose();
    }

    private Task FillAsync(Digest digest, IStorageDriver source, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        return PlaceVerifiedAsync(digest, temp, token => CopyVerifiedAsync(digest, source, temp, token), cancellationToken);
    }

    /// <summary>
    /// In a fill slot: <paramref name="verify"/> makes <paramref name="temp"/> and gives its size if it holds exactly
    /// the blob (else null); then it becomes the copy. The temp file is gone at the end either way.
    /// </summary>
    private async Task PlaceVerifiedAsync(Digest digest, string temp, Func<CancellationToken, Task<long?>> verify, CancellationToken cancellationToken)
    {
        try
        {
            await _fillSlots.WaitAsync(cancellationToken);
            try
            {
                var size = await verify(cancellationToken);
                if (size is null)
                {
                    return;
                }

                File.Move(temp, FileOf(digest), overwrite: true);
                Add(digest, size.Value);
                LogFilled(_logger, digest, size.Value);
                Evict();
            }
            finally
            {
                _fillSlots.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // Stopping: the semaphore went while this fill waited for a slot.
        }
        catch (Exception e)
        {
            // The blob is still served from the store; the next pull tries again.
            LogFillFailed(_logger, digest, e);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Writes the blob to <paramref name="temp"/>; its size if the bytes match the digest, else null.</summary>
    private async Task<long?> CopyVerifiedAsync(Digest digest, IStorageDriver source, string temp, CancellationToken cancellationToken)
    {
        await using var content = await source.OpenReadAsync(RegistryPaths.BlobData(digest), 0, cancellationToken);
        if (content is null)
        {
            return null;
        }

        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        var size = await SizeIfMatchesAsync(digest, content, file, cancellationToken);
        if (size is null)
        {
            LogMismatch(_logger, digest);
        }

        return size;
    }

    /// <summary>The size of <paramref name="file"/> if its bytes match <paramref name="digest"/>, else null.</summary>
    private async Task<long?> HashOfFileMatchesAsync(Digest digest, string file, CancellationToken cancellationToken)
    {
        await using var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        var size = await SizeIfMatchesAsync(digest, content, copyTo: null, cancellationToken);
        if (size is null)
        {
            // Not a fault: the upload had bytes that reached another node, and this file lacks them.
            LogPushCopyIncomplete(_logger, digest);
        }

        return size;
    }

    /// <summary>
    /// Reads <paramref name="content"/> to its end, hashing it and writing it to <paramref name="copyTo"/> if given;
    /// the byte count if the bytes match <paramref name="digest"/>, else null.
    /// </summary>
    private static async Task<long?> SizeIfMatchesAsync(Digest digest, Stream content, Stream? copyTo, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(digest.HashAlgorithm);
        var buffer = new byte[256 * 1024];
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
            if (copyTo is not null)
            {
                await copyTo.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        return Digest.FromHash(digest.Algorithm, hash.GetHashAndReset()) == digest ? size : null;
    }

    /// <summary>
    /// Removes copies of pushes that were never adopted and were last written <see cref="AbandonedPushCopy"/> ago, at
    /// most once per <see cref="SweepEvery"/>: their upload ended on another node, or was abandoned.
    /// </summary>
    private void SweepAbandonedPushCopies()
    {
        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < SweepEvery.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        try
        {
            foreach (var file in new DirectoryInfo(_temp).EnumerateFiles(PushCopyPrefix + "*"))
            {
                if (file.LastWriteTimeUtc < now.UtcDateTime - AbandonedPushCopy)
                {
                    TryDelete(file.FullName);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Removes the least recently served copies, never one served within <see cref="InUse"/>, until under the limit.</summary>
    private void Evict()
    {
        if (Bytes <= _options.MaxBytes)
        {
            return;
        }

        lock (_evicting)
        {
            var idleBefore = _time.GetUtcNow() - InUse;
            foreach (var (digest, copy) in _copies.Where(entry => entry.Value.LastServed < idleBefore).OrderBy(entry => entry.Value.LastServed).ToList())
            {
                if (Bytes <= _options.MaxBytes)
                {
                    return;
                }

                Forget(digest, copy);
                TryDelete(FileOf(digest));
            }
        }
    }

    /// <summary>Reads what the folder holds (a copy's last-served time is its file's last access) and removes temp leftovers.</summary>
    private void Load()
    {
        System.IO.Directory.CreateDirectory(_temp);
        foreach (var leftover in System.IO.Directory.EnumerateFiles(_temp))
        {
            TryDelete(leftover);
        }

        foreach (var algorithm in new[] { Digest.Sha256, Digest.Sha512 })
        {
            var folder = Path.Combine(_options.Directory, algorithm);
            System.IO.Directory.CreateDirectory(folder);
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
            {
                if (Digest.TryParse(algorithm + ":" + file.Name, out var digest))
                {
                    Add(digest, file.Length, file.LastAccessTimeUtc > file.LastWriteTimeUtc ? file.LastAccessTimeUtc : file.LastWriteTimeUtc);
                }
            }
        }

        Evict();
    }

    private void Add(Digest digest, long size, DateTimeOffset? lastServed = null)
    {
        var copy = new Copy(size) { LastServed = lastServed ?? _time.GetUtcNow() };
        if (_copies.TryAdd(digest, copy))
        {
            Interlocked.Add(ref _bytes, size);
        }
    }

    private void Forget(Digest digest, Copy copy)
    {
        if (_copies.TryRemove(new KeyValuePair<Digest, Copy>(digest, copy)))
        {
            Interlocked.Add(ref _bytes, -copy.Size);
        }
    }

    private string FileOf(Digest digest) => Path.Combine(_options.Directory, digest.Algorithm, digest.Hex);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class Copy(long size)
    {
        public long Size { get; } = size;

        public DateTimeOffset LastServed { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "blob cache: {Digest} ({Size} bytes) copied to this node")]
    private static partial void LogFilled(ILogger logger, Digest digest, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "blob cache: {Digest} read from storage does not match its digest; not cached")]
    private static partial void LogMismatch(ILogger logger, Digest digest);

    [LoggerMessage(Level = LogLevel.Debug, Message = "blob cache: the copy of a push of {Digest} lacks bytes that reached another node; not cached")]
    private static partial void LogPushCopyIncomplete(ILogger logger, Digest digest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "blob cache: copying {Digest} to this node failed; it is served from storage and tried again at its next pull")]
    private static partial void LogFillFailed(ILogger logger, Digest digest, Exception exception);
}
