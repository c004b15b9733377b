using System.Globalization;

namespace Berth.TestKit;

/// <summary>
/// nginx on 127.0.0.1 and a free port in front of a registry served under <c>http.prefix</c>, as a shared reverse
/// proxy puts one: clients speak <c>/v2/</c> at the proxy's root, which it forwards to <c>PREFIX/v2/</c>, and the
/// Locations the registry answers with (under the prefix) are forwarded as they are. Bodies are streamed both ways.
/// </summary>
public sealed class PrefixProxy : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly BackgroundProcess _process;
    private readonly TempDirectory _folder;

    private PrefixProxy(BackgroundProcess process, TempDirectory folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c> of the proxy, as image references spell the registry.</summary>
    public string HostPort => $"127.0.0.1:{Port}";

    public string Output => _process.Output;

    /// <param name="upstreamPort">The registry's port on 127.0.0.1.</param>
    /// <param name="prefix">The registry's <c>http.prefix</c>, e.g. <c>/registry</c> (no trailing slash).</param>
    public static async Task<PrefixProxy> StartAsync(int upstreamPort, string prefix, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var proxy = Launch(FreePort.Next(), upstreamPort, prefix);
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                await Readiness.WaitAsync(proxy._process, "nginx", StartTimeout,
                    ct => Readiness.AnswersV2Async(http, new Uri($"http://{proxy.HostPort}/"), ct), cancellationToken);
                return proxy;
            }
            catch (InvalidOperationException) when (attempt < 3 && proxy.Output.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await proxy.DisposeAsync();
            }
            catch
            {
                await proxy.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.DisposeAsync();
        }
        finally
        {
            _folder.Dispose();
        }
    }

    private static PrefixProxy Launch(int port, int upstreamPort, string prefix)
    {
        var folder = new TempDirectory("berth-nginx");
        var upstream = $"http://127.0.0.1:{upstreamPort}";
        // One process, no daemon, every path in the test's folder: it runs as whoever runs the tests, root or not.
        var forward = """
                  proxy_http_version 1.1;
                  proxy_set_header Host $http_host;
                  proxy_request_buffering off;
                  proxy_buffering off;
                  proxy_read_timeout 300s;
                  proxy_send_timeout 300s;
            """;
        File.WriteAllText(folder.Combine("nginx.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            master_process off;
            pid {{folder.Combine("nginx.pid")}};
            error_log stderr notice;
            events { worker_connections 256; }
            http {
              access_log off;
              client_max_body_size 0;
              client_body_temp_path {{folder.Combine("body")}};
              proxy_temp_path {{folder.Combine("proxy")}};
              fastcgi_temp_path {{folder.Combine("fastcgi")}};
              uwsgi_temp_path {{folder.Combine("uwsgi")}};
              scgi_temp_path {{folder.Combine("scgi")}};
              server {
                listen 127.0.0.1:{{port}};
                location /v2/ {
                  proxy_pass {{upstream}}{{prefix}}/v2/;
            {{forward}}
                }
                location {{prefix}}/ {
                  proxy_pass {{upstream}}{{prefix}}/;
            {{forward}}
                }
              }
            }
            """));
        var process = BackgroundProcess.Start(Tools.Require("nginx", "nginx-light"),
            ["-e", "stderr", "-p", folder.Path, "-c", folder.Combine("nginx.conf")]);
        return new PrefixProxy(process, folder, port);
    }
}
