using System.Net;

namespace Berth.TestKit;

/// <summary>An <see cref="HttpListener"/> on 127.0.0.1 and a free port, for the small servers tests stand up.</summary>
public static class LoopbackHttpListener
{
    /// <returns>The started listener and its port.</returns>
    public static (HttpListener Listener, int Port) Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                // The port was taken between picking and binding: pick another.
                listener.Close();
            }
        }
    }

    /// <summary>
    /// Hands each request to <paramref name="handle"/>, one after another, until the listener is stopped or closed;
    /// the handler answers (and closes) the response.
    /// </summary>
    public static async Task ServeAsync(HttpListener listener, Func<HttpListenerContext, Task> handle)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(handle);
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopping or closing the listener ends the pending accept this way.
                return;
            }

            await handle(context);
        }
    }
}
