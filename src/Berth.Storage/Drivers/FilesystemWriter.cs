namespace Berth.Storage.Drivers;

/// <summary>
/// Writes a local file. Replacing: into a temp file that is fsynced and renamed over the target on commit.
/// Appending: onto the target itself, cut back to its old length if not committed.
/// </summary>
internal sealed class FilesystemWriter : IStorageWriter
{
    private readonly FileStream _stream;
    private readonly string _target;
    private readonly string? _tempFile;
    private readonly long _initialLength;
    private bool _committed;

    private FilesystemWriter(FileStream stream, string target, string? tempFile)
    {
        _stream = stream;
        _target = target;
        _tempFile = tempFile;
        _initialLength = stream.Length;
        Size = _initialLength;
    }

    public long Size { get; private set; }

    public static FilesystemWriter Replacing(string target, string tempFile) =>
        new(Open(tempFile, FileMode.CreateNew), target, tempFile);

    public static FilesystemWriter Appending(string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var stream = Open(target, FileMode.OpenOrCreate);
        stream.Seek(0, SeekOrigin.End);
        return new FilesystemWriter(stream, target, null);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(buffer, cancellationToken);
        Size += buffer.Length;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_tempFile is null)
        {
            // Appended upload data only needs to survive the process; it is made durable when published.
            await _stream.FlushAsync(cancellationToken);
            _committed = true;
            return;
        }

        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(_target)!);
        File.Move(_tempFile, _target, overwrite: true);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed && _tempFile is null)
        {
            _stream.SetLength(_initialLength);
        }

        await _stream.DisposeAsync();
        if (!_committed && _tempFile is not null)
        {
            File.Delete(_tempFile);
        }
    }

    private static FileStream Open(string path, FileMode mode) =>
        new(path, mode, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
}
