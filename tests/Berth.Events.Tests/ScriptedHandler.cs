using System.Net;

namespace Berth.Events.Tests;

/// <summary>An endpoint in memory: answers each POST with the next scripted status (then 200) and keeps what it got.</summary>
internal sealed class ScriptedHandler(params HttpStatusCode[] script) : HttpMessageHandler
{
    private readonly Queue<HttpStatusCode> _script = new(script);
    private readonly List<(string ContentType, string Body, HttpRequestMessage Request)> _received = [];

    public IReadOnlyList<(string ContentType, string Body, HttpRequestMessage Request)> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        HttpStatusCode status;
        lock (_received)
        {
            _received.Add((request.Content.Headers.ContentType!.ToString(), body, request));
            status = _script.TryDequeue(out var next) ? next : HttpStatusCode.OK;
        }

        return new HttpResponseMessage(status);
    }
}

internal static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing after a deadline rather than sleeping a guessed time.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(10);
        }
    }
}
