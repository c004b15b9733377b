using Berth.Core.Manifests;

namespace Berth.Core.Stores;

/// <summary>The manifests of one repository whose <c>subject</c> is a given digest.</summary>
public interface IReferrerStore
{
    /// <param name="artifactType">When given, only referrers of that artifact type.</param>
    Task<IReadOnlyList<Descriptor>> ListAsync(Digest subject, string? artifactType, CancellationToken cancellationToken);
}
