using System.IO.Enumeration;
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

        ProbeWritable();
    }

    /// <summary>
    /// Writes and deletes an empty file in the temp folder (made if missing): the cheapest proof that the root is
    /// still a writable folder, which a stat alone would not give (a read-only remount, a full or lost volume).
    /// Throws with the OS's reason otherwise.
    /// </summary>
    public void ProbeWritable()
    {
        Directory.CreateDirectory(_temp);
        var probe = Path.Combine(_temp, "probe-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
    }

    public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        // One stat call: a FileSystemInfo reads attributes, size and times together and keeps them.
        var info = new FileInfo(FullPath(path));
        if ((int)info.Attributes == -1)
        {
            return Task.FromResult<StorageEntry?>(null);
        }

        var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory);
        return Task.FromResult<StorageEntry?>(new StorageEntry(path, isDirectory, isDirectory ? 0 : info.Length, info.LastWriteTimeUtc));
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

    /// <remarks>
    /// Read where asked, not asynchronously: what comes here is a link, a manifest or a small record, and on Linux an
    /// asynchronous file read is the same synchronous read on another pool thread plus the hop there and back, which
    /// costs more than the read. Garbage collection reads one per link and manifest of the store: on a busy machine the
    /// hops were most of its time.
    /// </remarks>
    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult<byte[]?>(File.ReadAllBytes(FullPath(path)));
        }
        catch (Exception e) when (IsMissingFile(e, FullPath(path)))
        {
            return Task.FromResult<byte[]?>(null);
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

    /// <remarks>
    /// Folders come from the directory entries alone (no stat per child: a tag list of 10,000 would be 10,000 stat
    /// calls), so their size is 0 and their time unknown; files carry size and time.
    /// </remarks>
    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var child in ReadFolder(FullPath(directory)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (directory.IsRoot && child.Name == TempFolderName || !StoragePath.IsValidSegment(child.Name))
            {
                continue;
            }

            yield return new StorageEntry(directory.Append(child.Name), child.IsDirectory, child.Size, child.ModifiedAt);
        }

        await Task.CompletedTask;
    }

    private static List<(string Name, bool IsDirectory, long Size, DateTimeOffset ModifiedAt)> ReadFolder(string folder)
    {
        try
        {
            return new FileSystemEnumerable<(string, bool, long, DateTimeOffset)>(
                folder,
                (ref entry) => entry.IsDirectory
                    ? (entry.FileName.ToString(), true, 0L, default)
                    : (entry.FileName.ToString(), false, entry.Length, entry.LastWriteTimeUtc),
                new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 }).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            // The folder does not exist, or went away while being read: nothing to list.
            return [];
        }
    }

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var sourceFile = FullPath(source);
        using (var handle = File.OpenHandle(sourceFile, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.FlushToDisk(handle);
        }

        LocalFiles.MoveIntoPlace(sourceFile, FullPath(destination));
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

    /// <summary>None: the bytes are served by Berth itself.</summary>
    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => ValueTask.FromResult<Uri?>(null);

    /// <summary>No file there: nothing at all, or a folder where a file was expected (the OS says access denied).</summary>
    private static bool IsMissingFile(Exception e, string fullPath) =>
        e is FileNotFoundException or DirectoryNotFoundException || e is UnauthorizedAccessException && Directory.Exists(fullPath);

    private string FullPath(StoragePath path) => path.IsRoot ? _root : Path.Join(_root, path.Value);

    /// <summary>A fresh temp file name; the folder is made by EnsureWritable, and again by LocalFiles.Open if removed since.</summary>
    private string NewTempFile() => Path.Combine(_temp, Guid.NewGuid().ToString("N"));
}
