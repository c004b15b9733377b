using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;

namespace Berth.Proxy.Mirror;

/// <summary>A repository that mirrors an upstream's: read through the cache, and closed to pushes.</summary>
internal sealed class MirrorRepository : IRepository
{
    public MirrorRepository(IRepository local, UpstreamMirror mirror, string upstreamName, MirrorState state)
    {
        Name = local.Name;
        Blobs = new MirrorBlobStore(local, mirror, upstreamName, state);
        Manifests = new MirrorManifestStore(local, mirror, upstreamName, state);
        Uploads = new RefusedUploads(local.Name, mirror);
        Tags = new MirrorTagStore(local, mirror, upstreamName);
        Referrers = new MirrorReferrerStore(local, Manifests, mirror, upstreamName, state);
    }

    public RepositoryName Name { get; }

    public IBlobStore Blobs { get; }

    public IUploadStore Uploads { get; }

    public IManifestStore Manifests { get; }

    public ITagStore Tags { get; }

    public IReferrerStore Referrers { get; }

    /// <summary>Why a push into a mirrored repository is refused.</summary>
    public static RegistryException PushRefused(RepositoryName name, UpstreamMirror mirror) =>
        new(RegistryErrorCode.Denied, $"{name} mirrors {mirror.Remote.Name}: it is read-only here; push to a repository no proxy remote claims",
            $"proxy remote {mirror.Remote.Name}");
}
