using System.Net;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>A request body that sends some bytes, then waits (an upload in flight) until released, then ends.</summary>
internal sealed class StalledContent(int firstBytes, Task release) : HttpContent
{
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first bytes went out.</summary>
    public Task Sent => _sent.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(new byte[firstBytes]);
        await stream.FlushAsync();
        _sent.TrySetResult();
        await release;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
