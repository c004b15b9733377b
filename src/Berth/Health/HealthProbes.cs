using System.Net.Sockets;
using Berth.Configuration;
using Berth.Storage.Drivers;

namespace Berth.Health;

/// <summary>The checks <c>health.*</c> configures, named as registry:2 names them in <c>/debug/health</c>.</summary>
internal static class HealthProbes
{
    /// <summary>One client for every http check, for the life of the process; connections are renewed each minute.</summary>
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>registry:2's interval for its redis check, which is always on when Redis is configured.</summary>
    public static readonly TimeSpan RedisInterval = TimeSpan.FromSeconds(10);

    public static IEnumerable<HealthCheck> Create(HealthSettings settings, StorageSettings storage, IStorageDriver driver,
        Berth.Redis.RedisConnection? redis = null)
    {
        if (redis is not null)
        {
            // Redis holds what every request reads (links, the catalog): while it does not answer the registry answers
            // 503 everywhere, /v2/ included, and /debug/health names it; the first ping that passes lets requests in again.
            yield return new HealthCheck("redis", RedisInterval, 1, _ => redis.PingAsync());
        }

        if (settings.StorageDriver is { } store)
        {
            var name = "storagedriver_" + storage.DriverName;
            yield return new HealthCheck(name, store.Interval, store.Threshold, ct => StorageAsync(driver, ct));
        }

        foreach (var file in settings.Files)
        {
            // registry:2's file checks have no threshold: the first sight of the file takes the registry out.
            yield return new HealthCheck(file.File, file.Interval, 1, _ => FileAsync(file.File));
        }

        foreach (var check in settings.Http)
        {
            yield return new HealthCheck(check.Uri.OriginalString, check.Interval, check.Threshold, ct => HttpAsync(Http, check, ct));
        }

        foreach (var check in settings.Tcp)
        {
            yield return new HealthCheck(check.Addr, check.Interval, check.Threshold, ct => TcpAsync(check, ct));
        }
    }

    /// <summary>
    /// registry:2 stats the root, which proves the backend answers but not that it takes writes. Berth stats the root
    /// and, on the filesystem, writes and deletes an empty file in its temp folder: a root that became read-only, full
    /// or something other than a folder fails here instead of at the next push.
    /// </summary>
    public static async Task StorageAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        var root = await driver.StatAsync(StoragePath.Root, cancellationToken);
        if (root is { IsDirectory: false })
        {
            throw new IOException("the storage root is not a folder");
        }

        if (driver is FilesystemDriver filesystem)
        {
            filesystem.ProbeWritable();
        }
    }

    private static Task FileAsync(string path) =>
        File.Exists(path) || Directory.Exists(path) ? Task.FromException(new IOException("file exists")) : Task.CompletedTask;

    private static async Task HttpAsync(HttpClient http, HttpCheckSettings check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(check.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Head, check.Uri);
        foreach (var (name, values) in check.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new IOException($"error while checking {check.Uri}: {(e is OperationCanceledException ? $"no answer within {check.Timeout.TotalSeconds:0.###}s" : e.Message)}", e);
        }

        using (response)
        {
            if ((int)response.StatusCode != check.StatusCode)
            {
                throw new IOException($"downstream service returned unexpected status: {(int)response.StatusCode}");
            }
        }
    }

    private static async Task TcpAsync(TcpCheckSettings check, CancellationToken cancellationToken)
    {
        var colon = check.Addr.LastIndexOf(':');
        var host = check.Addr[..colon].Trim('[', ']');
        var port = int.Parse(check.Addr.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(check.Timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new IOException($"connection to {check.Addr} failed: {(e is OperationCanceledException ? "timed out" : e.Message)}", e);
        }
    }
}
