using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Berth.Storage.Drivers;

/// <summary>
/// Storage in process memory, for tests and throwaway registries (<c>storage: inmemory</c>). Folders exist
/// implicitly while they hold a file. Same contract as the filesystem driver, including atomic publication.
/// </summary>
public sealed class InMemoryDriver : IStorageDriver
{
    private readonly ConcurrentDictionary<string, MemoryFile> _files = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public InMemoryDriver(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (_files.TryGetValue(path.Value, out var file))
        {
            return Task.FromResult<StorageEntry?>(new StorageEntry(path, false, file.Content.Length, file.ModifiedAt));
        }

        var prefix = DirectoryPrefix(path);
        var any = _files.Keys.Any(key => key.StartsWith(prefix, StringComparison.Ordinal));
        return Task.FromResult(any ? new StorageEntry(path, true, 0, _time.GetUtcNow()) : null);
    }

    public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue(path.Value, out var file))
        {
            return Task.FromResult<Stream?>(null);
        }

        var stream = new MemoryStream(file.Content, writable: false) { Position = offset };
        return Task.FromResult<Stream?>(stream);
    }

    public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryGetValue(path.Value, out var file) ? file.Content.ToArray() : null);

    public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Publish(path, content.ToArray());
        return Task.CompletedTask;
    }

    public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken)
    {
        var existing = append && _files.TryGetValue(path.Value, out var file) ? file.Content : [];
        return Task.FromResult<IStorageWriter>(new MemoryWriter(this, path, existing));
    }

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = DirectoryPrefix(directory);
        var children = new SortedDictionary<string, StorageEntry>(StringComparer.Ordinal);
        foreach (var (key, file) in _files)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var name = slash < 0 ? rest : rest[..slash];
            children.TryAdd(name, new StorageEntry(directory.Append(name), slash >= 0, slash < 0 ? file.Content.Length : 0, file.ModifiedAt));
        }

        foreach (var entry in children.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask;
    }

    public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        if (!_files.TryRemove(source.Value, out var file))
        {
            throw new FileNotFoundException("no such file in storage", source.ToString());
        }

        _files[destination.Value] = file;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        _files.TryRemove(path.Value, out _);
        var prefix = DirectoryPrefix(path);
        foreach (var key in _files.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _files.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    public string? LocalPath(StoragePath path) => null;

    /// <summary>None: the bytes are served by Berth itself.</summary>
    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => ValueTask.FromResult<Uri?>(null);

    private static string DirectoryPrefix(StoragePath path) => path.IsRoot ? string.Empty : path.Value + "/";

    private void Publish(StoragePath path, byte[] content) => _files[path.Value] = new MemoryFile(content, _time.GetUtcNow());

    private sealed record MemoryFile(byte[] Content, DateTimeOffset ModifiedAt);

    /// <summary>Collects bytes and publishes them whole on commit, so readers never see a partial file.</summary>
    private sealed class MemoryWriter(InMemoryDriver driver, StoragePath path, byte[] existing) : IStorageWriter
    {
        private readonly MemoryStream _buffer = CopyOf(existing);

        public long Size => _buffer.Length;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            _buffer.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            driver.Publish(path, _buffer.ToArray());
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => _buffer.DisposeAsync();

        private static MemoryStream CopyOf(byte[] existing)
        {
            var stream = new MemoryStream();
            stream.Write(existing);
            return stream;
        }
    }
}
