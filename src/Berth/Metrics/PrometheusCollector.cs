using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Berth.Metrics;

/// <summary>
/// Aggregates the measurements of one <see cref="Meter"/> and prints them in the Prometheus text format (0.0.4).
/// Written here rather than taken from OpenTelemetry's exporter so that the exposed names and labels are exactly
/// registry:2's (the exporter adds <c>otel_scope_*</c> labels and a <c>target_info</c> series, and is a beta), and so that a
/// measurement costs a dictionary lookup on a struct key and an interlocked add, with no allocation.
/// </summary>
internal sealed class PrometheusCollector : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();
    private readonly Lock _scraping = new();
    private readonly List<Func<CancellationToken, Task>> _refreshes = [];

    public PrometheusCollector(Meter meter)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // By reference, not by name: tests run several Berths' meters in one process.
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    var family = Family.For(instrument);
                    _families[instrument] = family;
                    listener.EnableMeasurementEvents(instrument, family);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>
    /// Registers what must be read before each scrape, for an observable instrument whose source is asynchronous (the
    /// storage used, read from the store): the instrument's callback then reads what the refresh left in memory.
    /// </summary>
    public void RefreshBeforeScrape(Func<CancellationToken, Task> refresh)
    {
        lock (_refreshes)
        {
            _refreshes.Add(refresh);
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task>[] refreshes;
        lock (_refreshes)
        {
            refreshes = [.. _refreshes];
        }

        foreach (var refresh in refreshes)
        {
            await refresh(cancellationToken);
        }
    }

    /// <summary>The exposition of every series seen so far, families sorted by name as client_golang sorts them.</summary>
    /// <remarks>Call <see cref="RefreshAsync"/> first, so that what observable instruments read from storage is current.</remarks>
    public string Scrape()
    {
        // One scrape at a time: each empties the observed families before they report again.
        lock (_scraping)
        {
            foreach (var family in _families.Values)
            {
                family.BeforeObservation();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder(4096);
            foreach (var family in _families.Values.OrderBy(family => family.Name, StringComparer.Ordinal))
            {
                family.Write(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private abstract class Family(Instrument instrument)
    {
        private readonly string _help = instrument.Description ?? string.Empty;

        public string Name { get; } = instrument.Name;

        public static Family For(Instrument instrument) => instrument switch
        {
            Histogram<double> histogram => new HistogramFamily(histogram, histogram.Advice?.HistogramBucketBoundaries ?? BerthMetrics.TimerBuckets),
            Histogram<long> histogram => new HistogramFamily(histogram,
                histogram.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? BerthMetrics.SizeBuckets),
            _ => new SumFamily(instrument),
        };

        public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

        /// <summary>Called before the observable instruments report, at every scrape.</summary>
        public virtual void BeforeObservation()
        {
        }

        public void Write(StringBuilder text)
        {
            // As client_golang: a family with no series yet (no request so far, auth never asked) is not printed at all.
            if (IsEmpty)
            {
                return;
            }

            text.Append("# HELP ").Append(Name).Append(' ').Append(_help).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
            WriteSeries(text);
        }

        protected abstract string Type { get; }

        protected abstract bool IsEmpty { get; }

        protected abstract void WriteSeries(StringBuilder text);

        protected static StringBuilder Labeled(StringBuilder text, string name, string labels, string? extra = null)
        {
            text.Append(name);
            if (labels.Length > 0 || extra is not null)
            {
                text.Append('{').Append(labels);
                if (extra is not null)
                {
                    text.Append(labels.Length > 0 ? "," : "").Append(extra);
                }

                text.Append('}');
            }

            return text.Append(' ');
        }
    }

    private sealed class SumFamily(Instrument instrument) : Family(instrument)
    {
        private readonly ConcurrentDictionary<SeriesKey, SumSeries> _series = new();
        private readonly bool _isSet = instrument.IsObservable;
        private readonly string _type = instrument is Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double>
            ? "counter"
            : "gauge";

        protected override string Type => _type;

        protected override bool IsEmpty => _series.IsEmpty;

        /// <summary>
        /// An observable instrument reports its whole state at each scrape, so a series it no longer reports (a repository
        /// that left the top N of storage used) goes away rather than staying at its last value, as with client_golang's
        /// collectors.
        /// </summary>
        public override void BeforeObservation()
        {
            if (_isSet)
            {
                _series.Clear();
            }
        }

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = new SeriesKey(tags);
            if (!_series.TryGetValue(key, out var series))
            {
                series = _series.GetOrAdd(key, static k => new SumSeries(k.LabelText()));
            }

            if (_isSet)
            {
                series.Set((long)value);
            }
            else
            {
                series.Add((long)value);
            }
        }

        protected override void WriteSeries(StringBuilder text)
        {
            foreach (var series in _series.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                Labeled(text, Name, series.Labels).Append(series.Value).Append('\n');
            }
        }
    }

    private sealed class HistogramFamily(Instrument instrument, IReadOnlyList<double> bounds) : Family(instrument)
    {
        private readonly double[] _bounds = [.. bounds];
        private readonly string[] _le = [.. bounds.Select(bound => $"le=\"{GoFloat.Format(bound)}\"")];
        private readonly ConcurrentDictionary<SeriesKey, HistogramSeries> _series = new();

        protected override string Type => "histogram";

        protected override bool IsEmpty => _series.IsEmpty;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = new SeriesKey(tags);
            if (!_series.TryGetValue(key, out var series))
            {
                series = _series.GetOrAdd(key, (k, buckets) => new HistogramSeries(k.LabelText(), buckets), _bounds.Length);
            }

            series.Record(value, _bounds);
        }

        protected override void WriteSeries(StringBuilder text)
        {
            foreach (var series in _series.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                var (counts, sum, _) = series.Read();
                long cumulative = 0;
                for (var i = 0; i < _bounds.Length; i++)
                {
                    cumulative += counts[i];
                    Labeled(text, Name + "_bucket", series.Labels, _le[i]).Append(cumulative).Append('\n');
                }

                // +Inf and _count from the same reading as the buckets, so one scrape is always consistent.
                cumulative += counts[^1];
                Labeled(text, Name + "_bucket", series.Labels, "le=\"+Inf\"").Append(cumulative).Append('\n');
                Labeled(text, Name + "_sum", series.Labels).Append(GoFloat.Format(sum)).Append('\n');
                Labeled(text, Name + "_count", series.Labels).Append(cumulative).Append('\n');
            }
        }
    }
}
