namespace Berth.Core.Stores;

/// <summary>One repository's view of the registry. Getting one does no I/O; it need not exist yet.</summary>
public interface IRepository
{
    RepositoryName Name { get; }

    IBlobStore Blobs { get; }

    IUploadStore Uploads { get; }

    IManifestStore Manifests { get; }

    ITagStore Tags { get; }

    IReferrerStore Referrers { get; }
}
