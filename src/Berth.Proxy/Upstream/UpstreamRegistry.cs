using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Manifests;

namespace Berth.Proxy.Upstream;

/// <summary>
/// The registry API of one upstream, as a pull-through cache needs it: manifests by tag or digest (HEAD to revalidate
/// a tag, GET to fetch), blobs by digest as a stream. Authentication is answered below (see
/// <see cref="UpstreamAuthenticator"/>); redirects (Docker Hub sends blobs to a CDN) are followed without the
/// credentials. Every failure becomes an <see cref="UpstreamException"/> saying which kind, so the cache can decide to
/// serve what it has; a missing manifest or blob is null.
/// </summary>
public sealed class UpstreamRegistry : IDisposable
{
    /// <summary>Manifests larger than this are refused, as Berth refuses them on push.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    private static readonly string[] ManifestTypes =
        [MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest];

    private readonly HttpClient _http;
    private readonly TimeSpan _responseTimeout;
    private readonly TimeProvider _time;

    /// <param name="baseUri">The upstream's root, e.g. <c>https://registry-1.docker.io/</c>.</param>
    /// <param name="credentials">For Basic or the token server; null pulls anonymously.</param>
    /// <param name="responseTimeout">How long to wait for an answer's headers; a blob's body may then take its time.</param>
    /// <param name="transport">The connection handler (tests, custom TLS); a pooled <see cref="SocketsHttpHandler"/> when null.</param>
    public UpstreamRegistry(Uri baseUri, IUpstreamCredentialSource? credentials, TimeSpan responseTimeout, TimeProvider time,
        HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        BaseUri = baseUri;
        _responseTimeout = responseTimeout;
        _time = time;
        var authenticator = new UpstreamAuthenticator(credentials, new TokenCache(time), time)
        {
            InnerHandler = transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = responseTimeout },
        };
        _http = new HttpClient(authenticator) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("berth", "1"));
    }

    public Uri BaseUri { get; }

    /// <returns>The manifest's digest, type and size, or null when the upstream has no such tag or digest.</returns>
    public async Task<UpstreamManifestInfo?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Head, ManifestPath(repository, reference), accept: ManifestTypes, cancellationToken);
        if (response is null)
        {
            return null;
        }

        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var named)
            ? named
            : throw new UpstreamException(UpstreamFailure.Invalid, $"{BaseUri}: HEAD of {repository}:{reference} named no Docker-Content-Digest");
        return new UpstreamManifestInfo(digest, MediaTypeOf(response), response.Content.Headers.ContentLength ?? 0);
    }

    /// <returns>The manifest, its bytes checked against the digest asked for or the one the upstream named; null when missing.</returns>
    public async Task<UpstreamManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, ManifestPath(repository, reference), accept: ManifestTypes, cancellationToken);
        if (response is null)
        {
            return null;
        }

        if (response.Content.Headers.ContentLength > MaxManifestBytes)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{BaseUri}: the manifest {repository}:{reference} is larger than {MaxManifestBytes} bytes");
        }

        var bytes = await ReadBoundedAsync(response.Content, cancellationToken);
        var digest = Digest.Compute(bytes);
        var expected = Digest.TryParse(reference, out var asked) ? asked
            : response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var named) ? named
            : digest;
        if (expected != digest)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{BaseUri}: the manifest {repository}:{reference} does not match its digest {expected}");
        }

        return new UpstreamManifest(digest, MediaTypeOf(response), bytes);
    }

    /// <summary>
    /// The digests of the manifests that refer to <paramref name="subject"/>: from the OCI referrers API, or, where the
    /// upstream has none (404), from the <c>sha256-&lt;hex&gt;</c> tag older clients push an index of them under.
    /// </summary>
    public async Task<IReadOnlyList<Digest>> GetReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken)
    {
        byte[] index;
        using (var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/referrers/{subject}", accept: [MediaTypes.OciIndex], cancellationToken))
        {
            if (response is not null)
            {
                index = await ReadBoundedAsync(response.Content, cancellationToken);
                return ManifestDigests(index);
            }
        }

        return await GetManifestAsync(repository, $"{subject.Algorithm}-{subject.Hex}", cancellationToken) is { } fallback
            ? ManifestDigests(fallback.Bytes.ToArray())
            : [];
    }

    /// <summary>Every tag of <paramref name="repository"/>, following the upstream's pages (at most <paramref name="limit"/>).</summary>
    /// <returns>The tags, or null when the upstream has no such repository.</returns>
    public async Task<IReadOnlyList<string>?> ListTagsAsync(string repository, int limit, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        string? next = $"v2/{repository}/tags/list?n=1000";
        while (next is not null && tags.Count < limit)
        {
            using var response = await SendAsync(HttpMethod.Get, next, accept: [], cancellationToken);
            if (response is null)
            {
                return tags.Count == 0 ? null : tags;
            }

            tags.AddRange(TagsOf(await ReadBoundedAsync(response.Content, cancellationToken)));

            // RFC 5988 as registries send it: </v2/name/tags/list?n=1000&last=x>; rel="next"
            next = response.Headers.TryGetValues("Link", out var links) && links.FirstOrDefault() is { } link
                && link.IndexOf('<', StringComparison.Ordinal) is var open and >= 0 && link.IndexOf('>', open) is var close and > 0
                ? link[(open + 1)..close].TrimStart('/')
                : null;
        }

        return tags;
    }

    /// <returns>The blob's bytes as they arrive (the caller checks the digest while it stores them), or null when missing.</returns>
    public async Task<UpstreamBlob?> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", accept: [], cancellationToken);
        if (response is null)
        {
            return null;
        }

        try
        {
            var content = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new UpstreamBlob(content, response.Content.Headers.ContentLength, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private static IEnumerable<string> TagsOf(byte[] page)
    {
        try
        {
            using var document = JsonDocument.Parse(page);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("tags", out var listed)
                && listed.ValueKind == JsonValueKind.Array
                ? [.. listed.EnumerateArray().Where(tag => tag.ValueKind == JsonValueKind.String).Select(tag => tag.GetString()!)]
                : [];
        }
        catch (JsonException e)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"the upstream's tag list is no JSON: {e.Message}");
        }
    }

    /// <summary>The <c>manifests[].digest</c> of an image index (what the referrers API and the fallback tag answer).</summary>
    private static IReadOnlyList<Digest> ManifestDigests(byte[] index)
    {
        try
        {
            using var document = JsonDocument.Parse(index);
            return document.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array
                ? [.. manifests.EnumerateArray()
                    .Select(entry => entry.TryGetProperty("digest", out var digest) && Digest.TryParse(digest.GetString(), out var parsed) ? parsed : (Digest?)null)
                    .OfType<Digest>()]
                : [];
        }
        catch (JsonException e)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"the upstream's list of referrers is no JSON index: {e.Message}");
        }
    }

    private static string ManifestPath(string repository, string reference) => $"v2/{repository}/manifests/{reference}";

    private static string MediaTypeOf(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType ?? MediaTypes.DockerManifest;

    /// <returns>The successful answer (its body not yet read), or null for 404; anything else throws.</returns>
    private async Task<HttpResponseMessage?> SendAsync(HttpMethod method, string path, string[] accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var type in accept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_responseTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, $"{BaseUri}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, $"{BaseUri}: no answer within {_responseTimeout.TotalSeconds:0.#} s", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            return response.StatusCode == HttpStatusCode.NotFound ? null : throw Failure(response, $"{method} {path}");
        }
    }

    private UpstreamException Failure(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter is { } header
            ? header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : null)
            : null;
        var failure = response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => UpstreamFailure.Throttled,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => UpstreamFailure.Refused,
            _ when status >= 500 => UpstreamFailure.Unavailable,
            _ => UpstreamFailure.Invalid,
        };
        return new UpstreamException(failure, $"{BaseUri}: {what} answered {status}", retryAfter: retryAfter);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxManifestBytes)
            {
                throw new UpstreamException(UpstreamFailure.Invalid, $"a manifest is larger than {MaxManifestBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
