using System.Globalization;
using System.Text.Json;

namespace Berth.Storage.Nodes;

/// <summary>
/// What a running <c>berth serve</c> says about itself in the store it serves (<c>_berth/nodes/&lt;id&gt;</c>), so
/// that an offline <c>garbage-collect</c> on the same store can see it and refuse: a push or an online collection
/// running beside an offline sweep can lose layers. Rewritten every beat; a record whose node missed
/// <see cref="BeatsBeforeStale"/> beats belongs to a node that died without removing it (<c>kill -9</c>, power loss)
/// and is ignored. The beat interval travels in the record, so a reader judges each node by its own clock.
/// </summary>
/// <param name="NodeId">Unique per process start, the record's file name.</param>
/// <param name="TakesPushes">The node is not read-only: it takes pushes, uploads and deletes.</param>
/// <param name="CollectsOnline">The node runs online garbage collection.</param>
public sealed record NodePresence(string NodeId, string Host, int ProcessId, DateTimeOffset StartedAt, DateTimeOffset LastBeat,
    TimeSpan BeatInterval, bool TakesPushes, bool CollectsOnline)
{
    /// <summary>Beats a node may miss (a slow store, a long pause) before its record counts as left by a dead node.</summary>
    public const int BeatsBeforeStale = 3;

    /// <summary>The beat of every node unless told otherwise: a dead node's record is ignored after 30 s.</summary>
    public static TimeSpan DefaultBeatInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the node beat recently enough to be taken as running at <paramref name="now"/>.</summary>
    /// <remarks>Compares clocks of two hosts when the store is shared: they must agree to well within the stale age (NTP does).</remarks>
    public bool IsLiveAt(DateTimeOffset now) => now - LastBeat <= BeatInterval * BeatsBeforeStale;

    /// <summary>Whether the node changes the store while serving, which an offline collection must not run beside.</summary>
    public bool WritesToStore => TakesPushes || CollectsOnline;

    public NodePresence Beat(DateTimeOffset now) => this with { LastBeat = now };

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("node", NodeId);
            json.WriteString("host", Host);
            json.WriteNumber("pid", ProcessId);
            json.WriteString("startedAt", FixedWidth(StartedAt));
            json.WriteString("lastBeat", FixedWidth(LastBeat));
            json.WriteNumber("beatIntervalMs", (long)BeatInterval.TotalMilliseconds);
            json.WriteBoolean("takesPushes", TakesPushes);
            json.WriteBoolean("collectsOnline", CollectsOnline);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Every beat writes a record of the same size: tests (and people) that compare a store's files by size before and
    /// after a request see no change from a beat in between. JSON's own format drops trailing zeros of the fraction.
    /// </summary>
    private static string FixedWidth(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <returns>The record, or null when the bytes are not one (a torn or foreign file): such a file names no node.</returns>
    public static NodePresence? Parse(ReadOnlySpan<byte> content)
    {
        try
        {
            var reader = new Utf8JsonReader(content);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return new NodePresence(
                root.GetProperty("node").GetString() ?? throw new FormatException("node"),
                root.GetProperty("host").GetString() ?? throw new FormatException("host"),
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("startedAt").GetDateTimeOffset(),
                root.GetProperty("lastBeat").GetDateTimeOffset(),
                TimeSpan.FromMilliseconds(root.GetProperty("beatIntervalMs").GetInt64()),
                root.GetProperty("takesPushes").GetBoolean(),
                root.GetProperty("collectsOnline").GetBoolean());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>One line for a person: "host h, pid 12, since 2026-12-01 05:00:00Z: takes pushes, runs online garbage collection".</summary>
    public string Describe()
    {
        var does = (TakesPushes, CollectsOnline) switch
        {
            (true, true) => "takes pushes and runs online garbage collection",
            (true, false) => "takes pushes",
            (false, true) => "runs online garbage collection",
            _ => "serves read-only",
        };
        return string.Create(CultureInfo.InvariantCulture, $"host {Host}, pid {ProcessId}, running since {StartedAt.UtcDateTime:u}: {does}");
    }
}
