using Berth.Core;

namespace Berth.Proxy.Upstream;

/// <summary>What an upstream says of a manifest without sending it (HEAD): enough to tell whether a cached tag moved.</summary>
public sealed record UpstreamManifestInfo(Digest Digest, string MediaType, long Size);

/// <summary>A manifest fetched from an upstream, its bytes checked against <see cref="Digest"/>.</summary>
public sealed record UpstreamManifest(Digest Digest, string MediaType, ReadOnlyMemory<byte> Bytes);

/// <summary>A blob's bytes arriving from an upstream; the reader disposes it (and with it the connection's request).</summary>
public sealed class UpstreamBlob(Stream content, long? length, HttpResponseMessage response) : IDisposable
{
    public Stream Content { get; } = content;

    /// <summary>The length the upstream declared, if it did.</summary>
    public long? Length { get; } = length;

    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
    }
}
