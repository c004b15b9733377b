using Berth.Core;
using Berth.Http;

namespace Berth.Metrics;

/// <summary>
/// The bytes one request moves for its repository, begun before dispatch and counted after it. Pulls are GETs of a
/// manifest or blob answered 200 or 206, counted by their Content-Length (the body Berth sent, a range's only), or a
/// blob GET answered 307, counted by the blob's size (the client fetches it from the object store). Pushes are manifest
/// PUTs and blob upload POST, PATCH and PUT, counted by the bytes read from their body, whatever the answer, since those
/// crossed the wire. A struct: the manifest GET path allocates nothing for it.
/// </summary>
internal readonly struct RepositoryTransfer
{
    private readonly Kind _kind;
    private readonly RepositoryName _repository;
    private readonly Stream? _body;
    private readonly CountingReadStream? _counted;
    private readonly RedirectedBlobFeature? _redirect;

    private RepositoryTransfer(Kind kind, RepositoryName repository, Stream? body = null, CountingReadStream? counted = null,
        RedirectedBlobFeature? redirect = null)
    {
        (_kind, _repository, _body, _counted, _redirect) = (kind, repository, body, counted, redirect);
    }

    private enum Kind
    {
        None,
        Pull,
        Push,
        Upload,
    }

    public static RepositoryTransfer Begin(HttpContext context, V2Route route, BerthMetrics metrics)
    {
        var method = context.Request.Method;
        switch (route.Kind)
        {
            case V2RouteKind.Manifest when HttpMethods.IsGet(method):
                return new RepositoryTransfer(Kind.Pull, route.Name);
            case V2RouteKind.Blob when HttpMethods.IsGet(method):
                var redirect = new RedirectedBlobFeature();
                context.Features.Set(redirect);
                return new RepositoryTransfer(Kind.Pull, route.Name, redirect: redirect);
            case V2RouteKind.Manifest when HttpMethods.IsPut(method):
                return Counting(context, Kind.Push, route.Name);
            case V2RouteKind.UploadStart when HttpMethods.IsPost(method):
            case V2RouteKind.Upload when HttpMethods.IsPatch(method) || HttpMethods.IsPut(method):
                metrics.UploadStarted();
                return Counting(context, Kind.Upload, route.Name);
            default:
                return default;
        }
    }

    /// <param name="completed">Whether the handler returned: a pull it did not finish (the client went away) is not counted.</param>
    public void End(HttpContext context, int status, bool completed, BerthMetrics metrics)
    {
        switch (_kind)
        {
            case Kind.Pull when completed:
                var pulled = status switch
                {
                    StatusCodes.Status200OK or StatusCodes.Status206PartialContent => context.Response.ContentLength ?? 0,
                    StatusCodes.Status307TemporaryRedirect => _redirect?.Size ?? 0,
                    _ => 0,
                };
                metrics.Repositories.Pulled(_repository, pulled);
                break;
            case Kind.Push or Kind.Upload:
                context.Request.Body = _body!;
                metrics.Repositories.Pushed(_repository, _counted!.BytesRead);
                if (_kind == Kind.Upload)
                {
                    metrics.UploadEnded();
                }

                break;
        }
    }

    private static RepositoryTransfer Counting(HttpContext context, Kind kind, RepositoryName repository)
    {
        var body = context.Request.Body;
        var counted = new CountingReadStream(body);
        context.Request.Body = counted;
        return new RepositoryTransfer(kind, repository, body, counted);
    }
}
