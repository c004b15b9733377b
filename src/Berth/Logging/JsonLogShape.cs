namespace Berth.Logging;

/// <summary>
/// The key names of a JSON log line. <c>json</c> is logrus's JSONFormatter (<c>time</c>, <c>level</c>, <c>msg</c>), as
/// registry:2 and registry:3 write it. <c>logstash</c> is a Logstash event (<c>@timestamp</c>, <c>@version</c>,
/// <c>message</c>, <c>level</c>), as registry:2.8 writes it through logrus-logstash-hook; that hook writes
/// <c>@version</c> as the number 1, Berth as the string "1" that Logstash itself puts in its events.
/// </summary>
internal sealed class JsonLogShape
{
    public static readonly JsonLogShape Json = new("berth-json", "time", "msg", version: null);

    public static readonly JsonLogShape Logstash = new("berth-logstash", "@timestamp", "message", version: "1");

    private JsonLogShape(string formatterName, string timeKey, string messageKey, string? version)
    {
        FormatterName = formatterName;
        TimeKey = timeKey;
        MessageKey = messageKey;
        Version = version;
    }

    public string FormatterName { get; }

    public string TimeKey { get; }

    public string MessageKey { get; }

    /// <summary>The <c>@version</c> value; null when the shape has none.</summary>
    public string? Version { get; }

    public bool IsReserved(string key) =>
        key == TimeKey || key == MessageKey || key is "level" or "category" or "error" || (Version is not null && key == "@version");
}
