namespace Berth.Http.Handlers;

/// <summary>
/// Sends a byte range of a local file as the response body by reading it straight into Kestrel's response pipe,
/// in large chunks. Kestrel has no zero-copy sendfile on Linux; its fallback reads into a buffer of its own and
/// copies into the pipe in small pieces, which halves the throughput of multi-GB layer pulls.
/// </summary>
internal static class LocalFileBody
{
    private const int ChunkSize = 1024 * 1024;

    public static async Task SendAsync(HttpResponse response, string path, long offset, long count, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var writer = response.BodyWriter;
        while (count > 0)
        {
            var memory = writer.GetMemory((int)Math.Min(ChunkSize, count));
            var want = (int)Math.Min(memory.Length, count);
            var read = await RandomAccess.ReadAsync(file, memory[..want], offset, cancellationToken);
            if (read == 0)
            {
                throw new IOException("blob content ended before its recorded size");
            }

            writer.Advance(read);
            offset += read;
            count -= read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }
}
