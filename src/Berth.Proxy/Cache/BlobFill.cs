using System.Security.Cryptography;
using Berth.Core;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Cache;

/// <summary>
/// One blob coming from an upstream into the cache, shared by every client that asks for it meanwhile: the bytes are
/// written to a spool file on local disk as they arrive and hashed on the way; each client reads the spool at its own
/// pace (<see cref="OpenReader"/>), so a slow client never holds the upstream connection, and all of them get the bytes
/// as they arrive rather than after the whole layer. Once the last byte is in and matches the digest (and the declared
/// length), <c>publish</c> stores the spool in the registry; a truncated or corrupt answer is never published, and
/// every reader still reading gets an <see cref="IOException"/> (the client sees its download cut short and retries).
/// The spool is deleted once the fill is over and the last reader is gone.
/// </summary>
internal sealed class BlobFill
{
    private readonly object _gate = new();
    private readonly string _spoolPath;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _progress = NewProgress();
    private long _written;
    private Exception? _failure;
    private bool _finished;
    private int _readers;
    private bool _spoolDeleted;

    private BlobFill(Digest digest, string spoolPath)
    {
        Digest = digest;
        _spoolPath = spoolPath;
    }

    public Digest Digest { get; }

    /// <summary>The length the upstream declared, if it did; readers may answer it as Content-Length.</summary>
    public long? DeclaredLength { get; private set; }

    /// <summary>
    /// Who started the fill (the cache: the repository it is published into), so that others who joined can link the
    /// blob from there once it is in.
    /// </summary>
    public object? Origin { get; private init; }

    /// <summary>Completes when the blob is published (or throws why it was not).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts copying <paramref name="blob"/> into a new spool file under <paramref name="spoolFolder"/>.</summary>
    /// <param name="publish">Stores the verified spool file in the registry; the fill completes when it returns.</param>
    /// <param name="over">Called once the fill is published or failed, before <see cref="Completion"/> says so, so that
    /// whoever sees it complete and asks again starts afresh.</param>
    /// <param name="origin">Who started it (<see cref="Origin"/>).</param>
    public static BlobFill Start(Digest digest, UpstreamBlob blob, string spoolFolder, Func<string, CancellationToken, Task> publish,
        Action over, CancellationToken stopping, object? origin = null)
    {
        Directory.CreateDirectory(spoolFolder);
        var fill = new BlobFill(digest, Path.Combine(spoolFolder, $"{digest.Hex}-{Guid.NewGuid():N}.spool"))
        {
            DeclaredLength = blob.Length,
            Origin = origin,
        };
        // The spool exists before the first reader opens it.
        new FileStream(fill._spoolPath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
        _ = Task.Run(() => fill.CopyAsync(blob, publish, over, stopping), CancellationToken.None);
        return fill;
    }

    /// <summary>A stream over the blob's bytes from the start, waiting for the ones not yet arrived.</summary>
    /// <returns>The reader, or null when the fill is over and its spool gone: the blob is then in the registry.</returns>
    /// <exception cref="IOException">The fill failed and its spool is gone.</exception>
    public Stream? OpenReader()
    {
        lock (_gate)
        {
            if (_spoolDeleted)
            {
                return _failure is null ? null : throw new IOException($"the upstream's copy of {Digest} could not be cached: {_failure.Message}", _failure);
            }

            _readers++;
        }

        return new BlobFillReader(this, new FileStream(_spoolPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true));
    }

    /// <summary>How many bytes may be read, or waits for more: null at the end of a verified blob.</summary>
    /// <exception cref="IOException">The fill failed: the upstream broke off, or its bytes do not match the digest.</exception>
    internal async ValueTask<long?> AvailableAsync(long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                if (_written > position)
                {
                    return _written - position;
                }

                if (_failure is not null)
                {
                    throw new IOException($"the upstream's copy of {Digest} could not be cached: {_failure.Message}", _failure);
                }

                if (_finished)
                {
                    return null;
                }

                progress = _progress.Task;
            }

            await progress.WaitAsync(cancellationToken);
        }
    }

    internal void ReaderClosed()
    {
        bool delete;
        lock (_gate)
        {
            _readers--;
            delete = _readers == 0 && (_finished || _failure is not null);
            _spoolDeleted |= delete;
        }

        if (delete)
        {
            DeleteSpool();
        }
    }

    private async Task CopyAsync(UpstreamBlob blob, Func<string, CancellationToken, Task> publish, Action over, CancellationToken stopping)
    {
        try
        {
            using (blob)
            {
                await SpoolAsync(blob, stopping);
            }

            await publish(_spoolPath, stopping);
            Finish(failure: null, over);
        }
        catch (Exception e)
        {
            // Whatever failed (the upstream, the spool, or the registry refusing the publish), readers must learn of it
            // rather than wait for bytes that never come.
            Finish(e, over);
        }
    }

    private async Task SpoolAsync(UpstreamBlob blob, CancellationToken stopping)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[128 * 1024];
        await using (var spool = new FileStream(_spoolPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true))
        {
            int read;
            while ((read = await blob.Content.ReadAsync(buffer, stopping)) > 0)
            {
                await spool.WriteAsync(buffer.AsMemory(0, read), stopping);
                hash.AppendData(buffer, 0, read);
                // Readers open their own handle: what is written must reach the file before they are told it is there.
                await spool.FlushAsync(stopping);
                Advance(read);
            }
        }

        var digest = Digest.FromHash("sha256", hash.GetHashAndReset());
        if (digest != Digest || (DeclaredLength is { } length && length != _written))
        {
            throw new UpstreamException(UpstreamFailure.Invalid, DeclaredLength is { } declared && declared != _written
                ? $"the upstream sent {_written} of {declared} bytes"
                : $"the upstream's bytes are {digest}, not {Digest}");
        }
    }

    private void Advance(int count)
    {
        TaskCompletionSource progress;
        lock (_gate)
        {
            _written += count;
            progress = _progress;
            _progress = NewProgress();
        }

        progress.SetResult();
    }

    private void Finish(Exception? failure, Action over)
    {
        TaskCompletionSource progress;
        bool delete;
        lock (_gate)
        {
            _finished = failure is null;
            _failure = failure;
            progress = _progress;
            delete = _readers == 0;
            _spoolDeleted |= delete;
        }

        progress.SetResult();
        if (delete)
        {
            DeleteSpool();
        }

        over();
        if (failure is null)
        {
            _completion.SetResult();
        }
        else
        {
            _completion.SetException(failure);
        }
    }

    private void DeleteSpool()
    {
        try
        {
            File.Delete(_spoolPath);
        }
        catch (IOException)
        {
            // A spool that cannot be deleted now is left for the cleaning of the spool folder at start.
        }
    }

    private static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
