using Berth.Configuration;
using Berth.Health;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Hosting;

/// <summary>
/// The Kestrel listeners <c>berth serve</c> opens: the registry's port (TCP or a unix socket; TLS, HTTP/2 by ALPN,
/// h2c) and the debug port of <c>http.debug.addr</c>.
/// </summary>
internal static class RegistryListeners
{
    public static void Listen(KestrelServerOptions kestrel, HttpSettings http)
    {
        // Built once for the listener: the certificate files are read (and checked) here, at start.
        var tls = http.Tls is null
            ? null
            : new TlsSetup(http.Tls, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>(), TimeProvider.System);
        Action<ListenOptions> configure = listen =>
        {
            if (tls is not null)
            {
                // HTTP/2 is offered by ALPN unless http.http2.disabled.
                listen.Protocols = http.Http2Disabled ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                tls.Apply(listen);
            }
            else if (http.H2cEnabled)
            {
                CleartextHttp2Detection.Apply(listen, kestrel);
            }
            else
            {
                listen.Protocols = HttpProtocols.Http1;
            }
        };
        if (http.UnixSocket is { } socket)
        {
            // The socket gets the mode the umask leaves, as registry's does: who may connect is decided by the file's
            // owner and mode, and by the folder it is in.
            kestrel.ListenUnixSocket(socket, configure);
        }
        else
        {
            ListenTcp(kestrel, http.ListenAddress, http.ListenPort, configure);
        }
    }

    /// <summary>The debug port: plain HTTP/1.1 always, as registry:2's debug server is.</summary>
    public static void ListenDebug(KestrelServerOptions kestrel, DebugSettings debug)
    {
        ListenTcp(kestrel, debug.ListenAddress, debug.ListenPort, listen => listen.Protocols = HttpProtocols.Http1);
    }

    /// <summary>One address, or every interface when <paramref name="address"/> is null (<c>:5000</c>).</summary>
    private static void ListenTcp(KestrelServerOptions kestrel, System.Net.IPAddress? address, int port, Action<ListenOptions> configure)
    {
        if (address is null)
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(address, port, configure);
        }
    }
}
