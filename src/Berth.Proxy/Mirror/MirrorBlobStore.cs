using System.Runtime.CompilerServices;
using Berth.Core;
using Berth.Core.Stores;
using Berth.Proxy.Cache;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Mirror;

/// <summary>
/// Blobs of a mirrored repository: the cached copy, else the upstream's, fetched once however many clients ask
/// (<see cref="BlobFills"/>): each of them streams the bytes as they arrive, and the blob is stored (through the local
/// store's upload path, which checks the digest again) only once it is whole and verified.
/// </summary>
internal sealed class MirrorBlobStore(IRepository local, UpstreamMirror mirror, string upstreamName, MirrorState state) : IBlobStore
{
    /// <summary>The blobs this store answered while they were still arriving, and the fill that brings each.</summary>
    private static readonly ConditionalWeakTable<BlobInfo, BlobFill> Arriving = [];

    /// <summary>
    /// Stat answers with the fill's declared length, which starts the download: a client that asks about a blob of a
    /// mirrored image is about to pull it (pushes, which HEAD blobs first, are refused here anyway).
    /// </summary>
    public async Task<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (await local.Blobs.StatAsync(digest, cancellationToken) is { } cached)
        {
            return cached;
        }

        BlobFill? fill;
        try
        {
            fill = await state.Fills.JoinAsync(digest, stopping => mirror.GetBlobAsync(upstreamName, digest, stopping),
                (spool, stopping) => PublishAsync(digest, spool, stopping), state.Stopping, origin: local.Name).WaitAsync(cancellationToken);
        }
        catch (UpstreamException e)
        {
            throw UpstreamErrors.ToRegistryError(e, mirror);
        }

        if (fill is null)
        {
            return null;
        }

        if (fill.Origin is RepositoryName origin && origin != local.Name)
        {
            // Another repository's pull brought it: link it here too once it is in, so the next pull needs no upstream.
            _ = LinkWhenInAsync(fill, origin);
        }

        if (fill.DeclaredLength is not { } length)
        {
            // Without a length there is no Content-Length to answer with while it arrives: wait for it whole.
            await WaitAsync(fill, cancellationToken);
            return await local.Blobs.StatAsync(digest, cancellationToken);
        }

        var arriving = new BlobInfo(digest, length, LocalPath: null);
        Arriving.AddOrUpdate(arriving, fill);
        return arriving;
    }

    public async Task<Stream> OpenReadAsync(BlobInfo blob, long offset, CancellationToken cancellationToken)
    {
        if (Arriving.TryGetValue(blob, out var fill) && fill.OpenReader() is { } reader)
        {
            await SkipAsync(reader, offset, cancellationToken);
            return reader;
        }

        // In by now: served from the cache.
        var cached = await local.Blobs.StatAsync(blob.Digest, cancellationToken)
            ?? throw new IOException($"{blob.Digest} was fetched but is not in {local.Name}");
        return await local.Blobs.OpenReadAsync(cached, offset, cancellationToken);
    }

    public ValueTask<Uri?> RedirectAsync(BlobInfo blob, CancellationToken cancellationToken) =>
        Arriving.TryGetValue(blob, out _) ? ValueTask.FromResult<Uri?>(null) : local.Blobs.RedirectAsync(blob, cancellationToken);

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => local.Blobs.DeleteAsync(digest, cancellationToken);

    public Task<BlobInfo?> MountAsync(Digest digest, RepositoryName from, CancellationToken cancellationToken) =>
        throw MirrorRepository.PushRefused(local.Name, mirror);

    /// <summary>
    /// Stores a verified spool file as the repository's blob, through the local store's own upload path (so it takes
    /// part in online collection's protocol as a push does; the notifications above the cache see no push).
    /// </summary>
    private async Task PublishAsync(Digest digest, string spoolPath, CancellationToken cancellationToken)
    {
        var upload = await local.Uploads.StartAsync(cancellationToken);
        await using var spool = new FileStream(spoolPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true);
        await local.Uploads.CompleteAsync(upload.Id, digest, spool, range: null, cancellationToken);
    }

    private async Task LinkWhenInAsync(BlobFill fill, RepositoryName origin)
    {
        try
        {
            await fill.Completion;
            await local.Blobs.MountAsync(fill.Digest, origin, state.Stopping);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a saving: without the link, this repository's next pull of the blob goes upstream again.
        }
    }

    private static async Task WaitAsync(BlobFill fill, CancellationToken cancellationToken)
    {
        try
        {
            await fill.Completion.WaitAsync(cancellationToken);
        }
        catch (UpstreamException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    private static async Task SkipAsync(Stream reader, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(count, 128 * 1024)];
        while (count > 0)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(0, (int)Math.Min(count, buffer.Length)), cancellationToken);
            if (read == 0)
            {
                throw new IOException("the blob ended before the requested range");
            }

            count -= read;
        }
    }
}
