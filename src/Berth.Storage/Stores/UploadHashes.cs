using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Berth.Storage.Stores;

/// <summary>
/// The running sha256 of uploads in progress, so each byte is hashed once, as it arrives. This is only a cache:
/// when a state is missing (another node took the previous chunk, the process restarted, the cache was full)
/// the upload's data is hashed again from storage when it completes.
/// </summary>
internal sealed class UploadHashes
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, HashState> _states = new(StringComparer.Ordinal);

    /// <summary>Takes the state of an upload that holds <paramref name="size"/> bytes, or starts one at 0.</summary>
    /// <returns>A hash to continue, owned by the caller, or null when the bytes so far were not hashed here.</returns>
    public IncrementalHash? Take(string key, long size)
    {
        if (_states.TryRemove(key, out var state))
        {
            if (state.Size == size)
            {
                return state.Hash;
            }

            state.Hash.Dispose();
        }

        return size == 0 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    /// <summary>Keeps the state of an upload that now holds <paramref name="size"/> bytes.</summary>
    public void Put(string key, long size, IncrementalHash hash)
    {
        if (_states.Count >= MaxEntries)
        {
            // Full of abandoned sessions, most likely: make room rather than stop caching for the live ones.
            foreach (var stale in _states.Keys.Take(MaxEntries / 10).ToList())
            {
                Forget(stale);
            }
        }

        if (!_states.TryAdd(key, new HashState(size, hash)))
        {
            hash.Dispose();
        }
    }

    public void Forget(string key)
    {
        if (_states.TryRemove(key, out var state))
        {
            state.Hash.Dispose();
        }
    }

    private sealed record HashState(long Size, IncrementalHash Hash);
}
