using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Proxy.Mirror;

/// <summary>The uploads of a mirrored repository: none. Its content comes from the upstream only.</summary>
internal sealed class RefusedUploads(RepositoryName name, UpstreamMirror mirror) : IUploadStore
{
    public Task<UploadStatus> StartAsync(CancellationToken cancellationToken) => throw MirrorRepository.PushRefused(name, mirror);

    public Task<UploadStatus?> GetAsync(UploadId id, CancellationToken cancellationToken) => throw MirrorRepository.PushRefused(name, mirror);

    public Task<UploadStatus> AppendAsync(UploadId id, Stream body, ChunkRange? range, CancellationToken cancellationToken) =>
        throw MirrorRepository.PushRefused(name, mirror);

    public Task<BlobInfo> CompleteAsync(UploadId id, Digest digest, Stream? lastChunk, ChunkRange? range, CancellationToken cancellationToken) =>
        throw MirrorRepository.PushRefused(name, mirror);

    public Task<bool> CancelAsync(UploadId id, CancellationToken cancellationToken) => throw MirrorRepository.PushRefused(name, mirror);
}
