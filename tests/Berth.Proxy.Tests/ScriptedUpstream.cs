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
            await answer(context);
        }));
    }

    public Uri BaseUri { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }
}
