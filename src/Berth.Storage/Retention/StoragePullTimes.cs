using System.Globalization;
using System.Text.Json;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Retention;

/// <summary>
/// Pull times in the store, one small JSON file per repository (<see cref="BerthPaths.RepositoryPulls"/>:
/// <c>{"pulls":{"latest":"2026-01-15T12:00:00.0000000Z",…}}</c>), through any driver. Each write reads the file,
/// keeps the later time per key and writes it whole (atomic on every driver). Writes of this process are serialised;
/// nodes sharing a store without Redis may overwrite each other's newest pulls in a race, which can make a tag look
/// pulled a little earlier than it was, never later: with several nodes, configure Redis.
/// </summary>
public sealed class StoragePullTimes(IStorageDriver driver) : IPullTimeStore, IDisposable
{
    private readonly SemaphoreSlim _writing = new(1, 1);

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ReadAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        Parse(await driver.ReadAllAsync(BerthPaths.RepositoryPulls(repository), cancellationToken));

    public async Task RecordAsync(RepositoryName repository, IReadOnlyDictionary<string, DateTimeOffset> pulls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pulls);
        await _writing.WaitAsync(cancellationToken);
        try
        {
            // A repository deleted since the pull gets no _berth folder back: nothing else would ever remove it.
            if (await driver.StatAsync(RegistryPaths.Repository(repository).Append(RegistryPaths.ManifestsFolder), cancellationToken) is null)
            {
                return;
            }

            var merged = new Dictionary<string, DateTimeOffset>(await ReadAsync(repository, cancellationToken), StringComparer.Ordinal);
            foreach (var (key, pulledAt) in pulls)
            {
                if (!merged.TryGetValue(key, out var recorded) || recorded < pulledAt)
                {
                    merged[key] = pulledAt;
                }
            }

            await driver.WriteAllAsync(BerthPaths.RepositoryPulls(repository), ToJson(merged), cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async Task ForgetAsync(RepositoryName repository, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var pulls = new Dictionary<string, DateTimeOffset>(await ReadAsync(repository, cancellationToken), StringComparer.Ordinal);
            var before = pulls.Count;
            foreach (var key in keys)
            {
                pulls.Remove(key);
            }

            if (pulls.Count == before)
            {
                return;
            }

            var path = BerthPaths.RepositoryPulls(repository);
            await (pulls.Count == 0 ? driver.DeleteAsync(path, cancellationToken) : driver.WriteAllAsync(path, ToJson(pulls), cancellationToken));
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose() => _writing.Dispose();

    private static byte[] ToJson(Dictionary<string, DateTimeOffset> pulls)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("pulls");
            foreach (var (key, pulledAt) in pulls.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, pulledAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <returns>The pulls; none for a missing file, and none for one that is no such record (it is then rewritten whole).</returns>
    private static Dictionary<string, DateTimeOffset> Parse(byte[]? content)
    {
        var pulls = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (content is null)
        {
            return pulls;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            foreach (var entry in document.RootElement.GetProperty("pulls").EnumerateObject())
            {
                pulls[entry.Name] = entry.Value.GetDateTimeOffset();
            }

            return pulls;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return [];
        }
    }
}
