using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Berth.Core;

namespace Berth.Metrics;

/// <summary>
/// Bytes pushed and pulled per repository, as <c>berth_repository_bytes_pushed_total{repository}</c> and
/// <c>berth_repository_bytes_pulled_total{repository}</c>, with at most <c>limit</c> repositories named
/// (<c>http.debug.prometheus.repositories</c>) and every other one counted as <c>repository="other"</c>.
/// </summary>
/// <remarks>
/// <para>
/// The rule: the first <c>limit</c> repositories that move a byte after the start keep a label of their own for the
/// life of the process; any later one is <c>other</c>. A label is never taken back, so every series only grows and there
/// are never more than <c>limit + 1</c> per counter, however many repositories come and go.
/// </para>
/// <para>
/// Why not a top N recomputed now and then: a demoted repository's series would either stay, frozen (then every
/// promotion adds a series and cardinality grows with the number of repositories, not N), or vanish and come back
/// later from zero, which Prometheus reads as a counter reset while the bytes of the meantime sit in <c>other</c>.
/// Either way the per-repository totals stop adding up. Keeping a count for every repository to rank them would also
/// put an unbounded table on the request path. After a restart the first ones are picked again, which is the same
/// moment every counter starts from zero anyway.
/// </para>
/// <para>
/// Per transfer: one dictionary lookup on the name's string and one interlocked add; nothing is allocated once a
/// repository has been seen (or the labels are all taken). A repository that is itself named <c>other</c> is counted as
/// <c>other</c>, so the label stays unambiguous.
/// </para>
/// </remarks>
internal sealed class RepositoryTraffic
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, Tally> _named = new();
    private readonly Tally _other = new(Other);
    private readonly Lock _admitting = new();
    private readonly int _limit;
    private volatile bool _full;

    public RepositoryTraffic(Meter meter, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        _full = limit == 0;
        meter.CreateObservableCounter<long>("berth_repository_bytes_pushed_total", () => Observe(pushed: true), "By",
            "Bytes received in blob upload and manifest push bodies, by repository (the first N seen; the rest as other).");
        meter.CreateObservableCounter<long>("berth_repository_bytes_pulled_total", () => Observe(pushed: false), "By",
            "Bytes of blob and manifest GET bodies sent or redirected to an object store, by repository (the first N seen; the rest as other).");
    }

    public void Pushed(RepositoryName repository, long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref TallyOf(repository.Value).Pushed, bytes);
        }
    }

    public void Pulled(RepositoryName repository, long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref TallyOf(repository.Value).Pulled, bytes);
        }
    }

    private Tally TallyOf(string repository) => _named.TryGetValue(repository, out var tally) ? tally : Admit(repository);

    /// <summary>A label for a repository not seen before while any are left; <c>other</c> once they are all taken.</summary>
    private Tally Admit(string repository)
    {
        if (_full || repository == Other)
        {
            return _other;
        }

        lock (_admitting)
        {
            if (_named.TryGetValue(repository, out var tally))
            {
                return tally;
            }

            if (_full)
            {
                return _other;
            }

            tally = new Tally(repository);
            _named[repository] = tally;
            _full = _named.Count >= _limit;
            return tally;
        }
    }

    /// <summary>Every named repository (0 included, so both counters name the same ones), and <c>other</c> once used.</summary>
    private IEnumerable<Measurement<long>> Observe(bool pushed)
    {
        foreach (var tally in _named.Values)
        {
            yield return tally.Measure(pushed);
        }

        if (Interlocked.Read(ref _other.Pushed) > 0 || Interlocked.Read(ref _other.Pulled) > 0)
        {
            yield return _other.Measure(pushed);
        }
    }

    /// <summary>One label's two counts; fields, so that they are added to in place.</summary>
    private sealed class Tally(string label)
    {
        public long Pushed;
        public long Pulled;

        public Measurement<long> Measure(bool pushed) =>
            new(pushed ? Interlocked.Read(ref Pushed) : Interlocked.Read(ref Pulled), new KeyValuePair<string, object?>("repository", label));
    }
}
