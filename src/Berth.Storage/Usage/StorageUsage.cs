using System.Globalization;
using System.Text.Json;
using Berth.Core;

namespace Berth.Storage.Usage;

/// <summary>
/// The storage used, per repository and in all, as of one mark of garbage collection (online, offline, or the scan
/// that runs when online collection is off). Kept in the store (<see cref="Layout.BerthPaths.Usage"/>), so every node
/// and a restarted one read the same last figures; read through <see cref="UsageCache"/>.
/// </summary>
public sealed class StorageUsage
{
    private const int FormatVersion = 1;

    /// <param name="repositories">Any order; kept sorted by name.</param>
    public StorageUsage(DateTimeOffset computedAt, long bytesInUse, int blobsInUse, IEnumerable<RepositoryUsage> repositories)
    {
        ComputedAt = computedAt;
        BytesInUse = bytesInUse;
        BlobsInUse = blobsInUse;
        Repositories = [.. repositories.OrderBy(usage => usage.Repository.Value, StringComparer.Ordinal)];
    }

    /// <summary>When the mark that found these figures ended.</summary>
    public DateTimeOffset ComputedAt { get; }

    /// <summary>The bytes of every blob in use, each once however many repositories use it.</summary>
    public long BytesInUse { get; }

    public int BlobsInUse { get; }

    /// <summary>Every repository the mark walked, in name order.</summary>
    public IReadOnlyList<RepositoryUsage> Repositories { get; }

    /// <returns>The repository's figures, or null when the mark did not see it.</returns>
    public RepositoryUsage? Find(RepositoryName repository) => Find(repository.Value);

    /// <returns>The figures of the repository named <paramref name="repository"/>, or null when the mark did not see it.</returns>
    public RepositoryUsage? Find(string repository)
    {
        var (low, high) = (0, Repositories.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = string.CompareOrdinal(Repositories[middle].Repository.Value, repository);
            if (order == 0)
            {
                return Repositories[middle];
            }

            (low, high) = order < 0 ? (middle + 1, high) : (low, middle - 1);
        }

        return null;
    }

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteString("computedAt", ComputedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("bytesInUse", BytesInUse);
            json.WriteNumber("blobsInUse", BlobsInUse);
            json.WriteStartArray("repositories");
            foreach (var repository in Repositories)
            {
                json.WriteStartObject();
                json.WriteString("name", repository.Repository.Value);
                json.WriteNumber("unique", repository.UniqueBytes);
                json.WriteNumber("shared", repository.SharedBytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <returns>The figures, or null when the bytes are none Berth wrote (torn, foreign, or of a later format).</returns>
    public static StorageUsage? Parse(ReadOnlySpan<byte> content)
    {
        try
        {
            var reader = new Utf8JsonReader(content);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != FormatVersion)
            {
                return null;
            }

            var repositories = root.GetProperty("repositories").EnumerateArray().Select(repository => new RepositoryUsage(
                RepositoryName.Parse(repository.GetProperty("name").GetString()),
                repository.GetProperty("unique").GetInt64(),
                repository.GetProperty("shared").GetInt64()));
            return new StorageUsage(root.GetProperty("computedAt").GetDateTimeOffset(), root.GetProperty("bytesInUse").GetInt64(),
                root.GetProperty("blobsInUse").GetInt32(), repositories.ToList());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
            or Core.Errors.RegistryException)
        {
            return null;
        }
    }
}
