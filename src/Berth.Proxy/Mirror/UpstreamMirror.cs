using Berth.Core;
using Berth.Proxy.Routing;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Mirror;

/// <summary>
/// One upstream as the cache uses it: its client, how long a tag is trusted before it is asked again, and at most
/// <c>maxconcurrent</c> requests to it at once (a blob's request holds its slot until its bytes are all in).
/// </summary>
public sealed class UpstreamMirror : IDisposable
{
    private readonly UpstreamRegistry _registry;
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _slotWait;

    /// <param name="tagTtl">How long a tag the upstream confirmed is served without asking it again.</param>
    /// <param name="maxConcurrent">Requests to this upstream at once; more wait up to <paramref name="slotWait"/>.</param>
    public UpstreamMirror(UpstreamRemote remote, UpstreamRegistry registry, TimeSpan tagTtl, int maxConcurrent, TimeSpan slotWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        Remote = remote;
        TagTtl = tagTtl;
        _registry = registry;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _slotWait = slotWait;
    }

    public UpstreamRemote Remote { get; }

    public TimeSpan TagTtl { get; }

    public Task<UpstreamManifestInfo?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        InSlotAsync(ct => _registry.HeadManifestAsync(repository, reference, ct), cancellationToken);

    public Task<UpstreamManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        InSlotAsync(ct => _registry.GetManifestAsync(repository, reference, ct), cancellationToken);

    public Task<IReadOnlyList<Digest>> GetReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken) =>
        InSlotAsync(ct => _registry.GetReferrersAsync(repository, subject, ct), cancellationToken);

    public Task<IReadOnlyList<string>?> ListTagsAsync(string repository, int limit, CancellationToken cancellationToken) =>
        InSlotAsync(ct => _registry.ListTagsAsync(repository, limit, ct), cancellationToken);

    /// <returns>The blob, holding a slot until it is disposed; null when the upstream has none.</returns>
    public async Task<UpstreamBlob?> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await TakeSlotAsync(cancellationToken);
        try
        {
            if (await _registry.GetBlobAsync(repository, digest, cancellationToken) is { } blob)
            {
                return blob.OnDisposed(() => _slots.Release());
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }

        _slots.Release();
        return null;
    }

    public void Dispose()
    {
        _registry.Dispose();
        _slots.Dispose();
    }

    private async Task<T> InSlotAsync<T>(Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        await TakeSlotAsync(cancellationToken);
        try
        {
            return await request(cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task TakeSlotAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_slotWait, cancellationToken))
        {
            throw new UpstreamException(UpstreamFailure.Unavailable,
                $"{Remote.Name}: every one of its request slots (maxconcurrent) stayed busy for {_slotWait.TotalSeconds:0} s");
        }
    }
}
