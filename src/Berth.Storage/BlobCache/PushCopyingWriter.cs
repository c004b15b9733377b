using Berth.Storage.Drivers;

namespace Berth.Storage.BlobCache;

/// <summary>
/// A writer into the store that also writes the same bytes to a file on this node: the copy of a pushed blob in the
/// making. The store's writer decides everything; a failure of the local file (a full disk, say) only ends the copy,
/// never the push. A file that would not hold the target's bytes from its first one is not written at all.
/// </summary>
internal sealed class PushCopyingWriter : IStorageWriter
{
    private readonly IStorageWriter _inner;
    private readonly string _file;
    private readonly Action<string>? _committed;
    private FileStream? _copy;
    private bool _done;

    private PushCopyingWriter(IStorageWriter inner, string file, FileStream copy, Action<string>? committed)
    {
        _inner = inner;
        _file = file;
        _copy = copy;
        _committed = committed;
    }

    /// <summary>
    /// Wraps <paramref name="inner"/> so that <paramref name="file"/> receives its bytes too. Appending, the file must
    /// hold exactly what the target holds so far (this node wrote every earlier byte), else no copy is made.
    /// <paramref name="committed"/> is given the file once the target is committed.
    /// </summary>
    public static IStorageWriter Wrap(IStorageWriter inner, string file, bool append, Action<string>? committed)
    {
        try
        {
            var continues = append && inner.Size > 0;
            if (continues && (!File.Exists(file) || new FileInfo(file).Length != inner.Size))
            {
                // Some of the bytes reached another node, or a cut request left this file behind: no whole copy here.
                File.Delete(file);
                return inner;
            }

            // No sharing: a second push of the same path on this node at the same time makes no copy.
            var copy = new FileStream(file, continues ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None,
                bufferSize: 0, FileOptions.Asynchronous);
            return new PushCopyingWriter(inner, file, copy, committed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return inner;
        }
    }

    public long Size => _inner.Size;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(buffer, cancellationToken);
        if (_copy is null)
        {
            return;
        }

        try
        {
            await _copy.WriteAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await DropCopyAsync();
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _inner.CommitAsync(cancellationToken);
        if (_copy is null)
        {
            return;
        }

        try
        {
            await _copy.DisposeAsync();
            _copy = null;
            _done = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await DropCopyAsync();
            return;
        }

        _committed?.Invoke(_file);
    }

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        if (!_done)
        {
            // Not committed: the store cuts the target back (or never publishes it), so the copy no longer matches.
            await DropCopyAsync();
        }
    }

    private async Task DropCopyAsync()
    {
        if (_copy is null)
        {
            return;
        }

        try
        {
            await _copy.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file goes below all the same.
        }

        _copy = null;
        try
        {
            File.Delete(_file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover in the cache's temp folder: the next sweep or start removes it.
        }
    }
}
