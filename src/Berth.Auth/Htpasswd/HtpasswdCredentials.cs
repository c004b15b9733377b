using Microsoft.Extensions.Logging;

namespace Berth.Auth.Htpasswd;

/// <summary>
/// The users of one htpasswd file, kept current: the file's modification time and size are looked at no more than
/// once per <see cref="RecheckInterval"/>, and a changed file is read again with a fresh, empty password cache.
/// A file that disappears or becomes unreadable after startup means nobody can log in (fail closed) until it is back.
/// </summary>
internal sealed class HtpasswdCredentials
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);
    private const int CacheCapacity = 10_000;
    private const int RefusedCapacity = 10_000;

    /// <summary>Stands for the entry of a user the file does not have: no bcrypt hash is empty.</summary>
    private const string UnknownUserMarker = "";

    private readonly string _path;
    private readonly IPasswordVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private volatile Snapshot _snapshot;
    private long _checkedAtTicks;

    /// <exception cref="AuthConfigurationException">The file is missing or unreadable.</exception>
    public HtpasswdCredentials(string path, IPasswordVerifier verifier, TimeProvider time, ILogger logger)
    {
        _path = path;
        _verifier = verifier;
        _time = time;
        _logger = logger;
        try
        {
            _snapshot = Read(FileStamp.Of(path) ?? throw new FileNotFoundException("not found", path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuthConfigurationException(
                "auth.htpasswd.path",
                $"the htpasswd file {path} cannot be read ({e.Message}); create it with `berth htpasswd -Bbn USER PASSWORD > {path}`",
                e);
        }

        _checkedAtTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>Users with a usable (bcrypt) entry in the current version of the file.</summary>
    public int UserCount => Current().Users.Count;

    /// <summary>
    /// Whether the password is the user's. Bcrypt runs once per (user, password) and version of the file: a
    /// verified pair and a refused pair are both remembered (as keyed fingerprints, never the password). An unknown
    /// user costs a bcrypt run against a decoy hash and is remembered like a known one, so that timing does not tell
    /// which user names exist.
    /// </summary>
    public bool Verify(string user, string password)
    {
        var snapshot = Current();
        var known = snapshot.Users.TryGetValue(user, out var hash);
        var fingerprint = VerifiedPasswordCache.Fingerprint(user, password, known ? hash! : UnknownUserMarker);
        if (known && snapshot.Cache.Matches(user, fingerprint))
        {
            return true;
        }

        if (snapshot.Refused.Contains(fingerprint))
        {
            return false;
        }

        // An unknown user's check must take as long as a known user's, and must fail whatever the decoy says.
        var verified = known ? _verifier.Verify(password, hash!) : _verifier.Verify(password, snapshot.DecoyHash.Value) && false;
        if (verified)
        {
            snapshot.Cache.Remember(user, fingerprint);
        }
        else
        {
            snapshot.Refused.Remember(fingerprint);
        }

        return verified;
    }

    private Snapshot Current()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (now - Volatile.Read(ref _checkedAtTicks) < RecheckInterval.Ticks)
        {
            return _snapshot;
        }

        lock (_reloadLock)
        {
            if (now - _checkedAtTicks < RecheckInterval.Ticks)
            {
                return _snapshot;
            }

            Refresh();
            Volatile.Write(ref _checkedAtTicks, now);
            return _snapshot;
        }
    }

    private void Refresh()
    {
        try
        {
            var stamp = FileStamp.Of(_path);
            if (stamp == _snapshot.Stamp)
            {
                return;
            }

            _snapshot = stamp is null ? Snapshot.Empty(this) : Read(stamp.Value);
            if (stamp is null)
            {
                AuthLog.Unreadable(_logger, _path, new FileNotFoundException("not found", _path));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AuthLog.Unreadable(_logger, _path, e);
            _snapshot = Snapshot.Empty(this);
        }
    }

    private Snapshot Read(FileStamp stamp)
    {
        // The stamp is taken before reading: a write that lands during the read changes the stamp, so the next
        // check reads the file again instead of keeping a torn copy.
        var users = HtpasswdParser.Parse(File.ReadAllText(_path), _logger);
        AuthLog.Loaded(_logger, users.Count, _path);
        return new Snapshot(this, stamp, users);
    }

    private sealed class Snapshot
    {
        public Snapshot(HtpasswdCredentials owner, FileStamp? stamp, IReadOnlyDictionary<string, string> users)
        {
            Stamp = stamp;
            Users = users;
            var cost = users.Count == 0 ? 10 : users.Values.Max(HtpasswdParser.CostOf);
            DecoyHash = new Lazy<string>(() => owner._verifier.HashRandom(cost));
        }

        public FileStamp? Stamp { get; }

        public IReadOnlyDictionary<string, string> Users { get; }

        public VerifiedPasswordCache Cache { get; } = new(CacheCapacity);

        public RefusedPasswordCache Refused { get; } = new(RefusedCapacity);

        /// <summary>Checked against for unknown users, at the file's highest cost, so they take as long as known ones.</summary>
        public Lazy<string> DecoyHash { get; }

        public static Snapshot Empty(HtpasswdCredentials owner) => new(owner, null, new Dictionary<string, string>());
    }

    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
    {
        public static FileStamp? Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : null;
        }
    }
}
