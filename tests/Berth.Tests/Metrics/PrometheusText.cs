using System.Globalization;

namespace Berth.Tests.Metrics;

/// <summary>
/// A tiny reader of the Prometheus text format: <c>name{labels} value</c> lines, # lines skipped. Series are keyed by
/// name and labels sorted by name (<c>name{a="1",b="2"}</c>), so a test need not know the order the server prints.
/// </summary>
internal sealed class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    private PrometheusText()
    {
    }

    public IReadOnlyCollection<string> Series => _samples.Keys;

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var series = line[..space];
            var value = line[(space + 1)..] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            parsed._samples.Add(Key(series), value);
        }

        return parsed;
    }

    /// <summary>The sample's value, or 0 for a series not (yet) exposed, as a counter that has not moved.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        _samples.GetValueOrDefault(Key(name, labels));

    public bool Has(string name, params (string Name, string Value)[] labels) => _samples.ContainsKey(Key(name, labels));

    private static string Key(string name, IEnumerable<(string Name, string Value)> labels) =>
        name + "{" + string.Join(',', labels.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => $"{l.Name}=\"{l.Value}\"")) + "}";

    private static string Key(string series)
    {
        var brace = series.IndexOf('{', StringComparison.Ordinal);
        if (brace < 0)
        {
            return series + "{}";
        }

        // Label values in these tests hold no commas or escaped quotes; splitting on '",' is enough for them.
        var body = series[(brace + 1)..^1];
        var labels = body.Split("\",", StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.EndsWith('"') ? pair[..^1] : pair)
            .Select(pair => (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 2)..]));
        return Key(series[..brace], labels);
    }
}
