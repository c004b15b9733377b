using System.Diagnostics.Metrics;
using Berth.Storage.Retention;

namespace Berth.Metrics;

/// <summary>What online retention removed, as Prometheus sees it. Made only with metrics on and retention configured.</summary>
internal sealed class RetentionMetrics(Meter meter)
{
    private readonly Counter<long> _tags = meter.CreateCounter<long>("berth_retention_tags_deleted_total",
        description: "Tags online retention removed (storage.retention), dry runs not counted.");

    private readonly Counter<long> _manifests = meter.CreateCounter<long>("berth_retention_manifests_deleted_total",
        description: "Manifests online retention deleted because it removed their tags (deleteuntagged) or their subject (deletereferrers).");

    public void Record(RetentionResult result)
    {
        if (!result.DryRun)
        {
            _tags.Add(result.TagsRemoved);
            _manifests.Add(result.ManifestsDeleted);
        }
    }
}
