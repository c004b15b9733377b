using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Events.Stores;

/// <summary>
/// One repository with its blobs, uploads and manifests decorated. Tag listings and referrers cause no event in
/// registry, so they pass through.
/// </summary>
internal sealed class EventingRepository(IRepository inner, EventRecorder recorder) : IRepository
{
    public RepositoryName Name => inner.Name;

    public IBlobStore Blobs { get; } = new EventingBlobStore(inner.Blobs, inner.Name, recorder);

    public IUploadStore Uploads { get; } = new EventingUploadStore(inner.Uploads, inner.Name, recorder);

    public IManifestStore Manifests { get; } = new EventingManifestStore(inner.Manifests, inner.Name, recorder);

    public ITagStore Tags => inner.Tags;

    public IReferrerStore Referrers => inner.Referrers;
}
