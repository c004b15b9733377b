using Berth.Redis;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>redis</c>: registry:2's keys (<c>addr</c>, <c>password</c>, <c>db</c>, the three timeouts, <c>tls.enabled</c>,
/// <c>pool.*</c>) and registry:3's (<c>addrs</c>, <c>username</c>, <c>mastername</c>, <c>tls.certificate</c>,
/// <c>tls.key</c>, <c>tls.rootcas</c> and its older name <c>tls.clientcas</c>). Null when no address is configured.
/// </summary>
internal static class RedisSettingsBinder
{
    /// <summary>
    /// registry:3's connection pool keys (go-redis options) and registry:2's <c>pool.*</c>: StackExchange.Redis
    /// multiplexes every command over one connection per server, so there is no pool to size; accepted as written.
    /// </summary>
    private static readonly string[] PoolKeys = ["poolsize", "minidleconns", "maxidleconns", "maxactiveconns", "connmaxidletime",
        "connmaxlifetime", "pooltimeout", "poolfifo", "maxretries", "minretrybackoff", "maxretrybackoff", "protocol"];

    public static RedisOptions? Bind(ConfigSection redis)
    {
        var addresses = new List<string>();
        if (redis.GetString("addr") is { Length: > 0 } addr)
        {
            addresses.Add(addr);
        }

        addresses.AddRange(redis.GetStringList("addrs") ?? []);
        if (addresses.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigurationException(redis.KeyPath("addrs"), "expected host:port addresses, got an empty entry");
        }

        var options = new RedisOptions
        {
            Addresses = [.. addresses.Distinct(StringComparer.Ordinal)],
            Username = NonEmpty(redis.GetString("username")),
            Password = NonEmpty(redis.GetString("password")),
            Database = redis.GetInt("db", minimum: 0) ?? 0,
            MasterName = NonEmpty(redis.GetString("mastername")),
            SentinelUsername = NonEmpty(redis.GetString("sentinelusername")),
            SentinelPassword = NonEmpty(redis.GetString("sentinelpassword")),
            ClientName = NonEmpty(redis.GetString("clientname")),
            DialTimeout = redis.GetDuration("dialtimeout", positive: false) is { } dial && dial > TimeSpan.Zero ? dial : RedisOptions.DefaultDialTimeout,
            CommandTimeout = CommandTimeout(redis),
            Tls = BindTls(redis.GetSection("tls")),
        };
        BindPool(redis);
        redis.WarnUnknownKeys();
        if (options.Addresses.Count == 0)
        {
            if (redis.Keys.Count > 0)
            {
                throw new ConfigurationException(redis.KeyPath("addr"), "missing; the redis section needs addr (host:port) or addrs");
            }

            return null;
        }

        return options;
    }

    /// <summary>registry:2 and go-redis read 0 as "no timeout of our own"; Berth then keeps its default rather than wait forever.</summary>
    private static TimeSpan CommandTimeout(ConfigSection redis)
    {
        var read = redis.GetDuration("readtimeout", positive: false) ?? TimeSpan.Zero;
        var write = redis.GetDuration("writetimeout", positive: false) ?? TimeSpan.Zero;
        var longest = read > write ? read : write;
        return longest > TimeSpan.Zero ? longest : RedisOptions.DefaultCommandTimeout;
    }

    private static void BindPool(ConfigSection redis)
    {
        var pool = redis.GetSection("pool");
        _ = pool.GetInt("maxidle", minimum: 0);
        _ = pool.GetInt("maxactive", minimum: 0);
        _ = pool.GetDuration("idletimeout", positive: false);
        pool.WarnUnknownKeys();
        foreach (var key in PoolKeys)
        {
            _ = redis.Get(key);
        }
    }

    /// <summary>TLS is on with <c>enabled: true</c> (registry:2) or as soon as a certificate or CA is named (registry:3).</summary>
    private static RedisTlsOptions? BindTls(ConfigSection tls)
    {
        var enabled = tls.GetBool("enabled", fallback: false);
        var certificate = NonEmpty(tls.GetString("certificate"));
        var key = NonEmpty(tls.GetString("key"));
        var roots = (tls.GetStringList("rootcas") ?? []).Concat(tls.GetStringList("clientcas") ?? []).ToList();
        tls.WarnUnknownKeys();
        if (roots.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigurationException(tls.KeyPath("rootcas"), "expected a list of CA certificate files, got an empty entry");
        }

        if ((certificate is null) != (key is null))
        {
            throw new ConfigurationException(tls.KeyPath(certificate is null ? "certificate" : "key"),
                "missing; a client certificate needs both tls.certificate and tls.key");
        }

        if (!enabled && certificate is null && roots.Count == 0)
        {
            return null;
        }

        foreach (var (name, path) in roots.Select(root => ("rootcas", (string?)root)).Append(("certificate", certificate)).Append(("key", key)))
        {
            // Checked now so the error names its key; the files are read when Berth connects.
            if (path is not null && !File.Exists(path))
            {
                throw new ConfigurationException(tls.KeyPath(name), $"cannot read {path}: no such file");
            }
        }

        return new RedisTlsOptions { CertificatePath = certificate, KeyPath = key, RootCaPaths = roots };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
