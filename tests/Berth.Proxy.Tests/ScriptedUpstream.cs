using System.Net;
using Berth.TestKit;

namespace Berth.Proxy.Tests;

/// <summary>An upstream played by the test, answering each request as the script says: for the answers real ones rarely give.</summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public ScriptedUpstream(Func<HttpListenerContext, Task> answer)
    {
        (_listener, var port) = LoopbackHttpListener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _loop = Task.Run(() => LoopbackHttpListener.ServeAsync(_listener, async context =>
        {
            using var response = context.Response;
            try
            {
                await answer(context);
            }
            catch (HttpListenerException)
            {
                // The client went away mid-answer, as the upstream client does when it has seen enough.
            }
        }));
    }

    public Uri BaseUri { get; }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop and then Close would let the second removal of the prefix bind the port again, which fails
        // when another process took it meanwhile.
        _listener.Close();
        await _loop;
    }
}
