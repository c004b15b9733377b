using System.Buffers;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Retention;

namespace Berth.Http.Handlers;

/// <summary>GET, HEAD, PUT and DELETE of <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>.</summary>
/// <param name="pulls">With retention configured: records each GET as a pull (in memory). Null otherwise.</param>
internal sealed class ManifestHandler(IRegistryStore store, Locations locations, PullRecorder? pulls = null)
{
    /// <summary>The largest manifest accepted: 4 MiB, what the OCI spec says registries should take at least.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    public async Task GetAsync(HttpContext context, V2Route route)
    {
        var reference = Reference.ParseForLookup(route.Argument) ?? throw ManifestUnknown(route.Argument);
        var manifest = await store.Repository(route.Name).Manifests.GetAsync(reference, context.RequestAborted)
            ?? throw ManifestUnknown(route.Argument);
        if (pulls is not null && HttpMethods.IsGet(context.Request.Method))
        {
            // A pull is a GET; a HEAD only asks what a tag names. By tag, or by the digest a HEAD resolved (containerd's
            // way); a 304 is a pull of what the client already holds and counts too.
            pulls.Record(route.Name, reference);
        }

        var response = context.Response;
        response.ContentType = manifest.MediaType;
        response.ContentLength = manifest.Bytes.Length;
        response.Headers[HttpHeaderNames.ContentDigest] = manifest.Digest.ToString();
        var etag = "\"" + manifest.Digest + "\"";
        response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(manifest.Bytes, context.RequestAborted);
        }
    }

    public async Task PutAsync(HttpContext context, V2Route route)
    {
        var reference = Reference.Parse(route.Argument);
        var extraTags = context.Request.Query["tag"].Select(Tag.Parse).ToList();
        var bytes = await ReadBodyAsync(context.Request, context.RequestAborted);
        var stored = await store.Repository(route.Name).Manifests.PutAsync(reference, bytes, context.Request.ContentType, extraTags,
            context.RequestAborted);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = locations.For(context, $"/v2/{route.Name}/manifests/{stored.Digest}");
        response.Headers[HttpHeaderNames.ContentDigest] = stored.Digest.ToString();
        if (stored.Manifest.Subject is { } subject)
        {
            response.Headers[HttpHeaderNames.OciSubject] = subject.Digest.ToString();
        }

        if (extraTags.Count > 0)
        {
            response.Headers[HttpHeaderNames.OciTag] = extraTags.Select(tag => tag.Value).ToArray();
        }

        response.ContentLength = 0;
    }

    public async Task DeleteAsync(HttpContext context, V2Route route)
    {
        var reference = Reference.ParseForLookup(route.Argument) ?? throw ManifestUnknown(route.Argument);
        if (!await store.Repository(route.Name).Manifests.DeleteAsync(reference, context.RequestAborted))
        {
            throw ManifestUnknown(route.Argument);
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }


    /// <summary>Reads the manifest body, refusing anything over the limit before reading it when the length is declared.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxManifestBytes)
        {
            throw TooLarge();
        }

        // At least one byte: ArrayBufferWriter refuses a capacity of 0, which an empty body (Content-Length: 0) would give.
        var writer = new ArrayBufferWriter<byte>((int)Math.Max(request.ContentLength ?? 16 * 1024, 1));
        int read;
        do
        {
            var memory = writer.GetMemory(16 * 1024);
            read = await request.Body.ReadAsync(memory, cancellationToken);
            writer.Advance(read);
            if (writer.WrittenCount > MaxManifestBytes)
            {
                throw TooLarge();
            }
        }
        while (read > 0);

        return writer.WrittenSpan.ToArray();
    }

    private static RegistryException ManifestUnknown(string reference) =>
        new(RegistryErrorCode.ManifestUnknown, "manifest unknown to registry", reference);

    private static RegistryException TooLarge() =>
        new(RegistryErrorCode.SizeInvalid, "manifest is too large", $"the limit is {MaxManifestBytes} bytes", status: 413);
}
