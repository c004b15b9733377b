namespace Berth.Logging;

/// <summary>
/// The <c>log.fields</c> of config.yml as a logging scope: every Berth format writes it with every entry, as JSON
/// properties (json, logstash) or as <c>service=registry</c> (text, logfmt).
/// </summary>
internal sealed class LogFields(IReadOnlyDictionary<string, string> fields) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _pairs =
        fields.Select(f => new KeyValuePair<string, object?>(f.Key, f.Value)).ToArray();

    public int Count => _pairs.Length;

    public KeyValuePair<string, object?> this[int index] => _pairs[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', _pairs.Select(p => $"{p.Key}={p.Value}"));
}
