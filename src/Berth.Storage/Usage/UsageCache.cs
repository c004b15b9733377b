using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Drivers;

namespace Berth.Storage.Usage;

/// <summary>
/// Storage used, as the metrics and the web page ask for it: the figures of <see cref="UsageStore"/>, held in memory
/// and looked at again at most every <see cref="RecheckAfter"/> (a stat, and a read only when the file changed), so a
/// node shows what whichever node or command computed last. A store that fails meanwhile leaves the last figures.
/// </summary>
public sealed class UsageCache(UsageStore store, TimeProvider time)
{
    /// <summary>How long figures are served before the file is looked at again; usage changes once per mark, hours apart.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);

    private readonly Lock _rechecking = new();
    private Task<StorageUsage?>? _recheck;
    private volatile Cached? _cached;

    /// <summary>The figures in memory now, without looking at the store: null until some were read or published.</summary>
    public StorageUsage? Latest => _cached?.Usage;

    /// <summary>Every repository's figures, as last computed; null when no collection or scan has run on this store yet.</summary>
    public async Task<StorageUsage?> CurrentAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        if (cached is not null && time.GetUtcNow() - cached.CheckedAt < RecheckAfter)
        {
            return cached.Usage;
        }

        // Callers that come while a look is under way share it; it runs to the end even if they stop waiting.
        Task<StorageUsage?> recheck;
        lock (_rechecking)
        {
            if (_recheck is null || _recheck.IsCompleted)
            {
                _recheck = RecheckAsync(CancellationToken.None);
            }

            recheck = _recheck;
        }

        return await recheck.WaitAsync(cancellationToken);
    }

    /// <summary>One repository's figures; null when the last computation did not see it (or none has run).</summary>
    public async Task<RepositoryUsage?> RepositoryAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken))?.Find(repository);

    /// <summary>Figures this node has just computed and written: served at once, without waiting for the next look.</summary>
    public void Publish(StorageUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (_cached?.Usage is not { } held || held.ComputedAt <= usage.ComputedAt)
        {
            // No file state: the next look reads the file once, whatever it finds.
            _cached = new Cached(usage, null, time.GetUtcNow());
        }
    }

    private async Task<StorageUsage?> RecheckAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        try
        {
            var file = await store.StatAsync(cancellationToken);
            var usage = cached?.Usage;
            if (file is null || cached?.File is not { } known || known.Size != file.Size || known.ModifiedAt != file.ModifiedAt)
            {
                usage = file is null ? usage : await store.ReadAsync(cancellationToken) ?? usage;
            }

            _cached = new Cached(usage, file, time.GetUtcNow());
            return usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ServiceUnavailableException)
        {
            // The store is away: the last figures are still the best there are; try again after the usual wait.
            _cached = new Cached(cached?.Usage, cached?.File, time.GetUtcNow());
            return cached?.Usage;
        }
    }

    private sealed record Cached(StorageUsage? Usage, StorageEntry? File, DateTimeOffset CheckedAt);
}
