using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// The one multiplexed connection a node keeps to Redis (StackExchange.Redis pipelines every command over it, so
/// registry:2's pool settings have nothing to size). Berth starts while Redis is down and reconnects by itself;
/// meanwhile every command fails at once (no queue to wait in) and its request is answered 503.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly ILogger _logger;

    private RedisConnection(ConnectionMultiplexer multiplexer, RedisOptions options, ILogger logger)
    {
        _multiplexer = multiplexer;
        _logger = logger;
        Options = options;
        Database = multiplexer.GetDatabase(options.Database);
        _multiplexer.ConnectionRestored += (_, e) => LogRestored(_logger, e.EndPoint);
        _multiplexer.ConnectionFailed += (_, e) => LogLost(_logger, e.EndPoint, e.FailureType);
    }

    public RedisOptions Options { get; }

    internal IDatabase Database { get; }

    /// <summary>Publish and subscribe over the same connection (the catalog tells other nodes of removed names).</summary>
    internal ISubscriber Subscriber => _multiplexer.GetSubscriber();

    /// <summary>Runs <paramref name="action"/> whenever a lost connection comes back: messages sent meanwhile were missed.</summary>
    internal void OnRestored(Action action) => _multiplexer.ConnectionRestored += (_, _) => action();

    public bool IsConnected => _multiplexer.IsConnected;

    /// <summary>Connects (or, when Redis is down, returns at once and goes on trying in the background).</summary>
    public static async Task<RedisConnection> ConnectAsync(RedisOptions options, ILogger logger)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(Configure(options));
        return new RedisConnection(multiplexer, options, logger);
    }

    /// <summary>The client configuration; every timeout and the reconnect policy are here, explicit.</summary>
    internal static ConfigurationOptions Configure(RedisOptions options)
    {
        var config = new ConfigurationOptions
        {
            // Start and run without Redis; a later connection is picked up by the background reconnect.
            AbortOnConnectFail = false,
            ConnectTimeout = Milliseconds(options.DialTimeout),
            ConnectRetry = 1,
            SyncTimeout = Milliseconds(options.CommandTimeout),
            AsyncTimeout = Milliseconds(options.CommandTimeout),
            // While disconnected a command fails at once instead of queueing until its timeout: a 503 now beats a hang.
            BacklogPolicy = BacklogPolicy.FailFast,
            // Reconnect attempts 0.5 s apart at first, then at most 5 s apart, for as long as it takes.
            ReconnectRetryPolicy = new ExponentialRetry(500, 5000),
            DefaultDatabase = options.Database,
            User = options.Username,
            Password = options.Password,
            ServiceName = options.MasterName,
            ClientName = options.ClientName ?? "berth",
            // For INFO (the eviction-policy check) and CLUSTER INFO (the health probe) only: the client refuses server
            // commands otherwise. Berth sends no other admin command.
            AllowAdmin = true,
            IncludeDetailInExceptions = false,
            IncludePerformanceCountersInExceptions = false,
        };
        if (options.MasterName is not null)
        {
            config.SentinelUser = options.SentinelUsername;
            config.SentinelPassword = options.SentinelPassword;
        }

        foreach (var address in options.Addresses)
        {
            config.EndPoints.Add(address);
        }

        if (options.Tls is { } tls)
        {
            ConfigureTls(config, tls);
        }

        return config;
    }

    /// <summary>
    /// Answers when Redis does; throws when it does not within the command timeout. The health check's probe.
    /// On a Cluster a PING goes to any one node and is answered even while slots have no master (PING names no key),
    /// so the probe also asks a node for <c>cluster_state</c>, which is <c>ok</c> only while every slot is served.
    /// </summary>
    public async Task PingAsync()
    {
        try
        {
            await Database.PingAsync(CommandFlags.DemandMaster);
            if (_multiplexer.GetServers().FirstOrDefault(s => s.IsConnected && s.ServerType == ServerType.Cluster) is { } node)
            {
                await CheckClusterAsync(node);
            }
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    /// <summary>
    /// Warns when Redis may evict keys that have no expiry (the catalog): an <c>allkeys-*</c> policy would drop them
    /// under memory pressure. Managed Redis may refuse to say; then the log says the check could not be made.
    /// </summary>
    public async Task CheckEvictionPolicyAsync()
    {
        foreach (var server in _multiplexer.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            string? policy;
            try
            {
                var memory = await server.InfoAsync("memory");
                policy = memory.SelectMany(group => group).FirstOrDefault(pair => pair.Key == "maxmemory_policy").Value;
            }
            catch (Exception e) when (RedisFailure.Is(e) || e is RedisCommandException)
            {
                policy = null;
            }

            if (policy is null)
            {
                LogPolicyUnknown(_logger, server.EndPoint);
            }
            else if (policy.StartsWith("allkeys-", StringComparison.Ordinal))
            {
                LogPolicyEvicts(_logger, server.EndPoint, policy);
            }
        }
    }

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();

    /// <summary>
    /// A Cluster that cannot serve every slot, or a <c>db</c> other than 0 on one (a Cluster has only database 0, so
    /// every command would fail), makes the probe fail with the reason.
    /// </summary>
    private async Task CheckClusterAsync(IServer node)
    {
        if (Options.Database != 0)
        {
            throw new ServiceUnavailableException(RedisFailure.Service,
                $"redis.db is {Options.Database}, but a Redis Cluster has only database 0; remove redis.db");
        }

        var info = (string?)await node.ExecuteAsync("CLUSTER", "INFO");
        if (info?.Contains("cluster_state:ok", StringComparison.Ordinal) != true)
        {
            throw new ServiceUnavailableException(RedisFailure.Service,
                $"the Redis Cluster is down (CLUSTER INFO at {node.EndPoint}: cluster_state is not ok); some slots have no reachable master");
        }
    }

    private static void ConfigureTls(ConfigurationOptions config, RedisTlsOptions tls)
    {
        config.Ssl = true;
        if (tls.CertificatePath is not null && tls.KeyPath is not null)
        {
            config.SetUserPemCertificate(tls.CertificatePath, tls.KeyPath);
        }

        if (tls.RootCaPaths.Count > 0)
        {
            var roots = new X509Certificate2Collection();
            foreach (var path in tls.RootCaPaths)
            {
                roots.ImportFromPemFile(path);
            }

            config.CertificateValidation += (_, certificate, _, errors) => ChainsTo(roots, certificate, errors);
        }
    }

    /// <summary>The server's certificate must name the host and chain to one of the configured CAs (and only those).</summary>
    private static bool ChainsTo(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 server || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    private static int Milliseconds(TimeSpan time) => (int)Math.Clamp(time.TotalMilliseconds, 1, int.MaxValue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "redis at {EndPoint}: connection lost ({Failure}); requests that need Redis answer 503 until it is back")]
    private static partial void LogLost(ILogger logger, System.Net.EndPoint? endPoint, ConnectionFailureType failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "redis at {EndPoint}: connection restored")]
    private static partial void LogRestored(ILogger logger, System.Net.EndPoint? endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "redis at {EndPoint}: could not read maxmemory-policy (INFO memory refused or failed); "
        + "make sure it is noeviction or a volatile-* policy, or the catalog may be evicted")]
    private static partial void LogPolicyUnknown(ILogger logger, System.Net.EndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "redis at {EndPoint}: maxmemory-policy is {Policy}, which may evict keys without expiry such as "
        + "the catalog; use noeviction or a volatile-* policy")]
    private static partial void LogPolicyEvicts(ILogger logger, System.Net.EndPoint endPoint, string policy);
}
