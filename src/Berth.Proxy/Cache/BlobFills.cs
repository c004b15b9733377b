using Berth.Core;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Cache;

/// <summary>
/// The blobs this node is fetching from upstreams right now, one <see cref="BlobFill"/> per digest: a client that asks
/// for a blob already on its way joins that fill instead of fetching it again, so N concurrent cold pulls of a layer
/// make one upstream request.
/// </summary>
internal sealed class BlobFills(string spoolFolder)
{
    private readonly object _gate = new();
    private readonly Dictionary<Digest, Task<BlobFill?>> _filling = [];

    /// <summary>The fill of <paramref name="digest"/> in progress, or a new one from what <paramref name="open"/> fetches.</summary>
    /// <param name="open">Asks the upstream for the blob; null when it has none (then nothing is filled).</param>
    /// <param name="publish">Stores the verified spool file in the registry.</param>
    /// <param name="origin">Who starts the fill, if this call does (<see cref="BlobFill.Origin"/>).</param>
    /// <returns>The fill, or null when the upstream has no such blob.</returns>
    public Task<BlobFill?> JoinAsync(Digest digest, Func<CancellationToken, Task<UpstreamBlob?>> open,
        Func<string, CancellationToken, Task> publish, CancellationToken stopping, object? origin = null)
    {
        lock (_gate)
        {
            if (!_filling.TryGetValue(digest, out var filling))
            {
                filling = StartAsync(digest, open, publish, origin, stopping);
                _filling[digest] = filling;
            }

            return filling;
        }
    }

    private async Task<BlobFill?> StartAsync(Digest digest, Func<CancellationToken, Task<UpstreamBlob?>> open,
        Func<string, CancellationToken, Task> publish, object? origin, CancellationToken stopping)
    {
        await Task.Yield();
        BlobFill? fill = null;
        try
        {
            var blob = await open(stopping);
            fill = blob is null ? null : BlobFill.Start(digest, blob, spoolFolder, publish, () => Forget(digest), stopping, origin);
        }
        finally
        {
            if (fill is null)
            {
                Forget(digest);
            }
        }

        // Once published (or failed) it forgets itself: the next request finds the blob in the registry (or starts afresh).
        return fill;
    }

    private void Forget(Digest digest)
    {
        lock (_gate)
        {
            _filling.Remove(digest);
        }
    }
}
