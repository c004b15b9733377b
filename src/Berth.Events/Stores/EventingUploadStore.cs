using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Events.Stores;

/// <summary>A completed upload is a blob push; the steps before it are not events, as in registry.</summary>
internal sealed class EventingUploadStore(IUploadStore inner, RepositoryName repository, EventRecorder recorder) : IUploadStore
{
    public Task<UploadStatus> StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public Task<UploadStatus?> GetAsync(UploadId id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<UploadStatus> AppendAsync(UploadId id, Stream body, ChunkRange? range, CancellationToken cancellationToken) =>
        inner.AppendAsync(id, body, range, cancellationToken);

    public async Task<BlobInfo> CompleteAsync(UploadId id, Digest digest, Stream? lastChunk, ChunkRange? range, CancellationToken cancellationToken)
    {
        var blob = await inner.CompleteAsync(id, digest, lastChunk, range, cancellationToken);
        await recorder.BlobAsync(EventActions.Push, repository, blob);
        return blob;
    }

    public Task<bool> CancelAsync(UploadId id, CancellationToken cancellationToken) => inner.CancelAsync(id, cancellationToken);
}
