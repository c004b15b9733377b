using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;

namespace Berth.Http.Handlers;

/// <summary>GET, HEAD and DELETE of <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>, with single byte ranges.</summary>
internal sealed class BlobHandler(IRegistryStore store)
{
    private const int CopyBufferSize = 256 * 1024;

    public async Task GetAsync(HttpContext context, V2Route route)
    {
        var digest = Digest.Parse(route.Argument);
        var blobs = store.Repository(route.Name).Blobs;
        var blob = await blobs.StatAsync(digest, context.RequestAborted)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", digest.ToString());

        var response = context.Response;
        var etag = "\"" + digest + "\"";
        response.Headers[HttpHeaderNames.ContentDigest] = digest.ToString();
        response.Headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && await blobs.RedirectAsync(blob, context.RequestAborted) is { } url)
        {
            // As registry:2 does: the object store serves the bytes (and any Range) itself. HEAD is answered here,
            // which saves the client a second round trip for what it already has.
            response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            response.Headers.Location = url.AbsoluteUri;
            context.Features.Get<RedirectedBlobFeature>()?.Size = blob.Size;
            return;
        }

        (long Start, long Length) range;
        try
        {
            range = RequestHeaders.ParseRange(context.Request.Headers.Range, blob.Size) ?? (0, blob.Size);
        }
        catch (RegistryException e)
        {
            // Rendered here, not by the middleware: its Clear() would drop the Content-Range a 416 must carry.
            response.Headers.ContentRange = $"bytes */{blob.Size}";
            await ErrorWriter.WriteAsync(context, e.Status, e.Code, e.Message, e.Detail);
            return;
        }

        // Content under a digest never changes (set only on success: an error must not be cached for a year).
        response.Headers.CacheControl = "max-age=31536000";
        response.ContentType = "application/octet-stream";
        response.ContentLength = range.Length;
        if (range.Length != blob.Size)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {range.Start}-{range.Start + range.Length - 1}/{blob.Size}";
        }

        if (HttpMethods.IsHead(context.Request.Method) || range.Length == 0)
        {
            return;
        }

        if (blob.LocalPath is { } file)
        {
            await LocalFileBody.SendAsync(response, file, range.Start, range.Length, context.RequestAborted);
            return;
        }

        await using var content = await blobs.OpenReadAsync(blob, range.Start, context.RequestAborted);
        await CopyAsync(content, response.Body, range.Length, context.RequestAborted);
    }

    public async Task DeleteAsync(HttpContext context, V2Route route)
    {
        var digest = Digest.Parse(route.Argument);
        if (!await store.Repository(route.Name).Blobs.DeleteAsync(digest, context.RequestAborted))
        {
            throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", digest.ToString());
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }

    private static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (count > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBufferSize, count)), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("blob content ended before its recorded size");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                count -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
