using Berth.Core;
using Berth.Core.Stores;

namespace Berth.Ui;

/// <summary>
/// Tells the page's caches which repository a push or delete on this node changed, so that this node's page shows
/// its own changes at once; what other nodes, retention or garbage collection change shows once the caches' entries
/// age out (<see cref="RepositorySummaries.FreshFor"/>). Installed only with the page on.
/// </summary>
internal sealed class ChangeReportingStore(IRegistryStore inner, Action<RepositoryName> changed) : IRegistryStore
{
    public ICatalog Catalog => inner.Catalog;

    public IRepository Repository(RepositoryName name) => new ChangeReportingRepository(inner.Repository(name), changed);

    public async Task<RepositoryDeletion?> DeleteRepositoryAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.DeleteRepositoryAsync(name, cancellationToken);
        }
        finally
        {
            changed(name);
        }
    }

    private sealed class ChangeReportingRepository(IRepository inner, Action<RepositoryName> changed) : IRepository
    {
        public RepositoryName Name => inner.Name;

        public IBlobStore Blobs => inner.Blobs;

        public IUploadStore Uploads => inner.Uploads;

        /// <summary>Made on first use: a blob request, the most common, never needs it.</summary>
        public IManifestStore Manifests => field ??= new ChangeReportingManifests(inner.Manifests, inner.Name, changed);

        public ITagStore Tags => inner.Tags;

        public IReferrerStore Referrers => inner.Referrers;
    }

    /// <summary>Reports after the write, whether or not it succeeded: a failed write may still have changed something.</summary>
    private sealed class ChangeReportingManifests(IManifestStore inner, RepositoryName name, Action<RepositoryName> changed) : IManifestStore
    {
        public Task<StoredManifest?> GetAsync(Reference reference, CancellationToken cancellationToken) => inner.GetAsync(reference, cancellationToken);

        public async Task<StoredManifest> PutAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType, IReadOnlyList<Tag> extraTags,
            CancellationToken cancellationToken)
        {
            try
            {
                return await inner.PutAsync(reference, bytes, contentType, extraTags, cancellationToken);
            }
            finally
            {
                changed(name);
            }
        }

        public async Task<bool> DeleteAsync(Reference reference, CancellationToken cancellationToken)
        {
            try
            {
                return await inner.DeleteAsync(reference, cancellationToken);
            }
            finally
            {
                changed(name);
            }
        }
    }
}
