using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;

namespace Berth.Http.Handlers;

/// <summary>
/// Blob uploads: POST to start (or upload whole with <c>?digest=</c>, or mount with <c>?mount=&amp;from=</c>),
/// PATCH chunks, GET status, PUT to finish, DELETE to cancel. The state machine itself is the upload store's.
/// </summary>
internal sealed class UploadHandler(IRegistryStore store, Locations locations)
{
    public async Task StartAsync(HttpContext context, V2Route route)
    {
        var repository = store.Repository(route.Name);
        var query = context.Request.Query;
        var cancellationToken = context.RequestAborted;

        if (query.TryGetValue("mount", out var mount))
        {
            var mounted = await TryMountAsync(repository, mount.ToString(), query["from"].ToString(), cancellationToken);
            if (mounted is not null)
            {
                Created(context, route, mounted.Digest);
                return;
            }
        }

        if (query.TryGetValue("digest", out var digestText))
        {
            // Monolithic upload: the whole blob is this request's body. The digest is checked before the session
            // exists, and a session that fails is removed: the client never learnt its id, so nobody could resume it.
            var digest = Digest.Parse(digestText.ToString());
            var session = await repository.Uploads.StartAsync(cancellationToken);
            BlobInfo blob;
            try
            {
                blob = await repository.Uploads.CompleteAsync(session.Id, digest, context.Request.Body, null, cancellationToken);
            }
            catch
            {
                await repository.Uploads.CancelAsync(session.Id, CancellationToken.None);
                throw;
            }

            Created(context, route, blob.Digest);
            return;
        }

        var upload = await repository.Uploads.StartAsync(cancellationToken);
        Accepted(context, route, upload, StatusCodes.Status202Accepted);
    }

    public async Task StatusAsync(HttpContext context, V2Route route)
    {
        var id = ParseId(route.Argument);
        var upload = await store.Repository(route.Name).Uploads.GetAsync(id, context.RequestAborted) ?? throw UploadUnknown(route.Argument);
        Accepted(context, route, upload, StatusCodes.Status204NoContent);
    }

    public async Task PatchAsync(HttpContext context, V2Route route)
    {
        var id = ParseId(route.Argument);
        var range = ParseChunkRange(context.Request);
        var upload = await store.Repository(route.Name).Uploads.AppendAsync(id, context.Request.Body, range, context.RequestAborted);
        Accepted(context, route, upload, StatusCodes.Status202Accepted);
    }

    public async Task PutAsync(HttpContext context, V2Route route)
    {
        var id = ParseId(route.Argument);
        var digest = Digest.Parse(context.Request.Query["digest"].ToString());
        var range = ParseChunkRange(context.Request);
        var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        var blob = await store.Repository(route.Name).Uploads.CompleteAsync(id, digest, hasBody ? context.Request.Body : null, range,
            context.RequestAborted);
        Created(context, route, blob.Digest);
    }

    public async Task CancelAsync(HttpContext context, V2Route route)
    {
        var id = ParseId(route.Argument);
        if (!await store.Repository(route.Name).Uploads.CancelAsync(id, context.RequestAborted))
        {
            throw UploadUnknown(route.Argument);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Mounts when both values are valid and the source has the blob; anything else falls back to an upload.</summary>
    private static async Task<BlobInfo?> TryMountAsync(IRepository repository, string mount, string from, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(mount, out var digest) || !RepositoryName.TryParse(from, out var source) || source == repository.Name)
        {
            return null;
        }

        return await repository.Blobs.MountAsync(digest, source, cancellationToken);
    }

    private static ChunkRange? ParseChunkRange(HttpRequest request)
    {
        var range = RequestHeaders.ParseContentRange(request.Headers.ContentRange);
        if (range is { } declared && request.ContentLength is { } length && length != declared.Length)
        {
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "Content-Length does not match Content-Range",
                $"Content-Range declares {declared.Length} bytes, Content-Length {length}", status: 416);
        }

        return range;
    }

    private void Created(HttpContext context, V2Route route, Digest digest)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = locations.For(context, $"/v2/{route.Name}/blobs/{digest}");
        response.Headers[HttpHeaderNames.ContentDigest] = digest.ToString();
        response.ContentLength = 0;
    }

    private void Accepted(HttpContext context, V2Route route, UploadStatus upload, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = locations.For(context, $"/v2/{route.Name}/blobs/uploads/{upload.Id}");
        // registry:2 reports an empty upload as 0-0; clients only read the end as the next offset minus one.
        response.Headers.Range = $"0-{Math.Max(upload.Size - 1, 0)}";
        response.Headers[HttpHeaderNames.UploadUuid] = upload.Id.Value;
        response.ContentLength = 0;
    }

    private static UploadId ParseId(string text) => UploadId.TryParse(text, out var id) ? id : throw UploadUnknown(text);

    private static RegistryException UploadUnknown(string id) =>
        new(RegistryErrorCode.BlobUploadUnknown, "blob upload unknown to registry", id);
}
