using System.Runtime.CompilerServices;

namespace Berth.Storage.Drivers;

/// <summary>
/// Storage in a local folder, byte-compatible with registry:2's filesystem driver. New files are written under
/// <c>&lt;root&gt;/.berth-tmp</c> (outside the <c>docker/</c> tree registry:2 reads) and renamed into place, so a
/// crash at any moment leaves either the old file or the complete new one.
/// </summary>
public sealed class FilesystemDriver : IStorageDriver
{
    private const string TempFolderName = ".berth-tmp";
    private readonly string _root;
    private readonly string _temp;

    public FilesystemDriver(string rootDirectory)
    {
        _root = Path.GetFullPath(rootDirectory);
        _temp = Path.Combine(_root, TempFolderName);
    }

    public string RootDirectory => _root;

    /// <summary>Temp files older than this were left by a crash; nothing writes one that long.</summary>
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    /// <summary>
    /// Creates the root, proves it writable (throws with the OS's reason otherwise) and removes temp files a crash
    /// left behind. Only old ones: another node sharing this folder may be writing the young ones.
    /// </summary>
    public void EnsureWritable(TimeProvider? time = null)
    {
        var staleBefore = (time ?? TimeProvider.System).GetUtcNow() - StaleTempAge;
        if (Directory.Exists(_temp))
        {
            foreach (var file in new DirectoryInfo(_temp).EnumerateFiles().Where(file => file.LastWriteTimeUtc < staleBefore))
            {
                file.Delete();
            }
        }

        Directory.CreateDirectory(_temp);
        var probe = Path.Combine(_temp, "probe-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
    }

    public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        var file = new FileInfo(full);
        if (file.Exists)
        {
            return Task.FromResult<StorageEntry?>(new StorageEntry(path, false, file.Length, file.LastWriteTimeUtc));
        }

        var directory = new DirectoryInfo(full);
        return Task.FromResult(directory.Exists ? new StorageEntry(path, true, 0, directory.LastWriteTimeUtc) : null);
    }

    public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(FullPath(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            stream.Position = offset;
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (IsMissingFile(e, FullPath(path)))
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(FullPath(path), cancellationToken);
        }
        catch (Exception e) when (IsMissingFile(e, FullPath(path)))
        {
            return null;
        }
    }

    public async Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await using var writer = await OpenWriteAsync(path, append: false, cancellationToken);
        await writer.WriteAsync(content, cancellationToken);
        await writer.CommitAsync(cancellationToken);
    }

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken)
    {
        var target = FullPath(path);
        IStorageWriter writer = append
            ? FilesystemWriter.Appending(target)
            : FilesystemWriter.Replacing(target, NewTempFile());
        return Task.FromResult(writer);
    }

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var info = new DirectoryInfo(FullPath(directory));
        if (!info.Exists)
        {
            yield break;
        }

        IEnumerable<FileSystemInfo> children;
        try
        {
            children = info.EnumerateFileSystemInfos();
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }

        foreach (var child in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (directory.IsRoot && child.Name == TempFolderName || !StoragePath.IsValidSegment(child.Name))
            {
                continue;
            }

            var isDirectory = child is DirectoryInfo;
            yield return new StorageEntry(directory.Append(child.Name), isDirectory, isDirectory ? 0 : ((FileInfo)child).Length,
                child.LastWriteTimeUtc);
        }

        await Task.CompletedTask;
    }

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var sourceFile = FullPath(source);
        using (var handle = File.OpenHandle(sourceFile, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.FlushToDisk(handle);
        }

        var target = FullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(sourceFile, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        try
        {
            if (Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }
            else
            {
                File.Delete(full);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: deleting is idempotent.
        }

        return Task.CompletedTask;
    }

    public string? LocalPath(StoragePath path) => FullPath(path);

    /// <summary>No file there: nothing at all, or a folder where a file was expected (the OS says access denied).</summary>
    private static bool IsMissingFile(Exception e, string fullPath) =>
        e is FileNotFoundException or DirectoryNotFoundException || e is UnauthorizedAccessException && Directory.Exists(fullPath);

    private string FullPath(StoragePath path) => path.IsRoot ? _root : Path.Join(_root, path.Value);

    private string NewTempFile()
    {
        Directory.CreateDirectory(_temp);
        return Path.Combine(_temp, Guid.NewGuid().ToString("N"));
    }
}
