using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Storage.Stores;

/// <summary>One repository's stores over the shared context. Cheap to make: no I/O until used.</summary>
internal sealed class Repository : IRepository
{
    public Repository(StoreContext context, RepositoryName name)
    {
        Name = name;
        var blobs = new BlobStore(context, name);
        var manifests = new ManifestStore(context, name, blobs);
        Blobs = blobs;
        Uploads = new UploadStore(context, name, blobs);
        Manifests = manifests;
        Tags = new TagStore(context, name);
        Referrers = new ReferrerStore(context, name, manifests);
    }

    public RepositoryName Name { get; }

    public IBlobStore Blobs { get; }

    public IUploadStore Uploads { get; }

    public IManifestStore Manifests { get; }

    public ITagStore Tags { get; }

    public IReferrerStore Referrers { get; }
}
