using System.Collections.Concurrent;

namespace Berth.Auth.Htpasswd;

/// <summary>
/// Remembers (user, password) pairs that bcrypt refused, as <see cref="VerifiedPasswordCache.Fingerprint"/>s, so a
/// client that keeps retrying a stale password (a forgotten imagePullSecret, a CI job after a rotation) costs one
/// bcrypt run per file version instead of one per request. A new guess is never in it, so guessing gains nothing;
/// unknown users are remembered the same way, so the time of an answer still tells nothing about which users
/// exist. One instance lives as long as one version of the file.
/// </summary>
internal sealed class RefusedPasswordCache(int capacity)
{
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);

    public bool Contains(byte[] fingerprint) => _refused.ContainsKey(Convert.ToBase64String(fingerprint));

    public void Remember(byte[] fingerprint)
    {
        // Someone trying many passwords fills it with pairs that never come back: start over rather than grow.
        if (_refused.Count >= capacity)
        {
            _refused.Clear();
        }

        _refused.TryAdd(Convert.ToBase64String(fingerprint), 0);
    }
}
