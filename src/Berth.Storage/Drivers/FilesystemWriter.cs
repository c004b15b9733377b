using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Drivers;

/// <summary>
/// Writes a local file. Replacing: into a temp file that is fsynced and renamed over the target on commit.
/// Appending: onto the target itself, cut back to its old length if not committed.
/// Writes are synchronous positional writes: they land in the page cache in microseconds, and .NET's asynchronous
/// file writes on Linux only move the same call to another thread-pool thread, one hop per chunk.
/// </summary>
internal sealed class FilesystemWriter : IStorageWriter
{
    private readonly SafeFileHandle _file;
    private readonly string _target;
    private readonly string? _tempFile;
    private readonly long _initialLength;
    private bool _committed;
    private bool _closed;

    private FilesystemWriter(SafeFileHandle file, string target, string? tempFile)
    {
        _file = file;
        _target = target;
        _tempFile = tempFile;
        _initialLength = RandomAccess.GetLength(file);
        Size = _initialLength;
    }

    public long Size { get; private set; }

    public static FilesystemWriter Replacing(string target, string tempFile) =>
        new(LocalFiles.Open(tempFile, FileMode.CreateNew), target, tempFile);

    public static FilesystemWriter Appending(string target) => new(LocalFiles.Open(target, FileMode.OpenOrCreate), target, null);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.Write(_file, buffer.Span, Size);
        Size += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_tempFile is not null)
        {
            // Durable before visible: the rename publishes content that is already on disk.
            RandomAccess.FlushToDisk(_file);
            Close();
            LocalFiles.MoveIntoPlace(_tempFile, _target);
        }

        // Appended upload data only needs to survive the process (it is in the page cache); it is made durable when
        // the blob is published.
        _committed = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_committed && _tempFile is null && !_closed)
        {
            RandomAccess.SetLength(_file, _initialLength);
        }

        Close();
        if (!_committed && _tempFile is not null)
        {
            File.Delete(_tempFile);
        }

        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        if (!_closed)
        {
            _file.Dispose();
            _closed = true;
        }
    }
}
