using Berth.Core;

namespace Berth.Storage.Retention;

/// <summary>
/// Where the last pull of each tag (and of each manifest digest) is kept for retention's pull rules: in the store
/// beside the repository (<see cref="StoragePullTimes"/>) for one node, or in Redis when nodes share it. Keys are
/// what was pulled: a tag's name, or a digest (<c>sha256:…</c>; a tag never holds a colon, so the two never meet).
/// </summary>
public interface IPullTimeStore
{
    /// <returns>Every recorded pull of the repository, by key; empty when none was recorded.</returns>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> ReadAsync(RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>Merges <paramref name="pulls"/> in: each key keeps the later of its recorded and its new time.</summary>
    Task RecordAsync(RepositoryName repository, IReadOnlyDictionary<string, DateTimeOffset> pulls, CancellationToken cancellationToken);

    /// <summary>Drops the keys (of tags and manifests retention removed), so the record does not grow with what is gone.</summary>
    Task ForgetAsync(RepositoryName repository, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
