namespace Berth.Http;

/// <summary>
/// The size of the blob a GET was redirected for (307 to an object store's URL): the client fetches those bytes there,
/// and no Content-Length of Berth's shows them. Whoever wants to know (metrics count them as pulled) sets one on the
/// request's features before dispatch; without one the blob endpoint sets nothing.
/// </summary>
internal sealed class RedirectedBlobFeature
{
    public long Size { get; set; }
}
