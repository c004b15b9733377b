using System.Collections.Concurrent;
using Berth.Core;

namespace Berth.Storage.Retention;

/// <summary>
/// The pulls this node served since its last flush, in memory: a pull costs one dictionary update and no I/O, and
/// a background loop writes them to an <see cref="IPullTimeStore"/> every few seconds. Made only when retention is
/// configured; without it the manifest GET path holds null and records nothing.
/// </summary>
public sealed class PullRecorder(TimeProvider time)
{
    private readonly ConcurrentDictionary<(RepositoryName Repository, Reference Reference), long> _pending = new();

    /// <summary>Pulls waiting for the next flush (one per repository and reference, however often it was pulled).</summary>
    public int Pending => _pending.Count;

    /// <summary>A GET of the manifest by tag or digest.</summary>
    public void Record(RepositoryName repository, Reference reference) =>
        _pending.AddOrUpdate((repository, reference), static (_, now) => now, static (_, recorded, now) => Math.Max(recorded, now),
            time.GetUtcNow().UtcTicks);

    /// <summary>
    /// Writes what is pending, one call per repository. An entry leaves memory only once written and only if no pull
    /// changed it meanwhile, so a failed write (storage or Redis away) is tried again at the next flush.
    /// </summary>
    public async Task FlushAsync(IPullTimeStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var repository in _pending.ToArray().GroupBy(entry => entry.Key.Repository))
        {
            var pulls = repository.ToDictionary(entry => entry.Key.Reference.ToString(), entry => new DateTimeOffset(entry.Value, TimeSpan.Zero),
                StringComparer.Ordinal);
            await store.RecordAsync(repository.Key, pulls, cancellationToken);
            foreach (var written in repository)
            {
                _pending.TryRemove(written);
            }
        }
    }
}
