using Berth.Core;

namespace Berth.Proxy.Upstream;

/// <summary>What an upstream says of a manifest without sending it (HEAD): enough to tell whether a cached tag moved.</summary>
public sealed record UpstreamManifestInfo(Digest Digest, string MediaType, long Size);

/// <summary>A manifest fetched from an upstream, its bytes checked against <see cref="Digest"/>.</summary>
public sealed record UpstreamManifest(Digest Digest, string MediaType, ReadOnlyMemory<byte> Bytes);

/// <summary>A blob's bytes arriving from an upstream; the reader disposes it (and with it the connection's request).</summary>
public sealed class UpstreamBlob(Stream content, long? length, HttpResponseMessage response) : IDisposable
{
    private Action? _released;

    public Stream Content { get; } = content;

    /// <summary>The length the upstream declared, if it did.</summary>
    public long? Length { get; } = length;

    /// <summary>Calls <paramref name="released"/> once the blob is disposed (a request slot of its upstream is free again).</summary>
    public UpstreamBlob OnDisposed(Action released)
    {
        _released = released;
        return this;
    }

    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
        Interlocked.Exchange(ref _released, null)?.Invoke();
    }
}
