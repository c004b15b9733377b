using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Configuration;
using Berth.Core.Stores;

namespace Berth.Http.Handlers;

/// <summary>The read-only listings: <c>/v2/</c>, <c>/v2/_catalog</c>, tags and referrers.</summary>
/// <remarks>HEAD on the catalog and on a tag list answers GET's status and headers (Link and Content-Length included).</remarks>
internal sealed class ListingHandler(IRegistryStore store, RequestAuthorization authorization, ListingLimits limits, Locations locations)
{
    /// <summary>registry:2 answers a catalog request without <c>n</c> with 100 names.</summary>
    public const int DefaultCatalogPage = 100;

    public static Task BaseAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = 2;
        return HttpMethods.IsGet(context.Request.Method) ? context.Response.WriteAsync("{}", context.RequestAborted) : Task.CompletedTask;
    }

    public async Task CatalogAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var count = CatalogPageSize(RequestHeaders.ParsePageSize(query["n"]));
        var last = query["last"].ToString() is { Length: > 0 } l ? l : null;
        var (names, hasMore) = count == 0 ? new RepositoryPage([], false) : await VisiblePageAsync(context, last, count, context.RequestAborted);
        if (hasMore)
        {
            context.Response.Headers.Link = NextLink($"/v2/_catalog?last={Uri.EscapeDataString(names[^1])}&n={count}");
        }

        await WriteJsonAsync(context, new CatalogPage(names), BerthJsonContext.Wire.CatalogPage);
    }

    /// <summary>The page size for <paramref name="requested"/> names: more than <c>catalog.maxentries</c> is refused.</summary>
    private int CatalogPageSize(int? requested)
    {
        if (requested > limits.CatalogMaxEntries)
        {
            throw new RegistryException(RegistryErrorCode.PaginationNumberInvalid, "invalid number of results requested",
                $"n={requested} is above catalog.maxentries ({limits.CatalogMaxEntries})");
        }

        return Math.Min(requested ?? DefaultCatalogPage, limits.CatalogMaxEntries);
    }

    private string NextLink(string pathAndQuery) => $"<{locations.PathOf(pathAndQuery)}>; rel=\"next\"";

    /// <summary>
    /// A catalog page of the names the caller may pull. With an access policy that hides names, the index is read
    /// on in chunks until the page is full, so pages stay full and the Link stays right.
    /// </summary>
    private async ValueTask<RepositoryPage> VisiblePageAsync(HttpContext context, string? last, int count, CancellationToken cancellationToken)
    {
        if (!authorization.IsEnabled)
        {
            return await store.Catalog.PageAsync(last, count, cancellationToken);
        }

        var visible = new List<string>(count + 1);
        var cursor = last;
        while (true)
        {
            var (chunk, more) = await store.Catalog.PageAsync(cursor, Math.Max(count + 1, 256), cancellationToken);
            foreach (var name in chunk)
            {
                if (!RepositoryName.TryParse(name, out var repository) || !authorization.CanPull(context, repository))
                {
                    continue;
                }

                if (visible.Count == count)
                {
                    return new RepositoryPage(visible, true);
                }

                visible.Add(name);
            }

            if (!more || chunk.Count == 0)
            {
                return new RepositoryPage(visible, false);
            }

            cursor = chunk[^1];
        }
    }

    public async Task TagsAsync(HttpContext context, V2Route route)
    {
        var query = context.Request.Query;
        // More than tags.maxtags gets that many and a Link to the rest; a list without n is given whole.
        var count = RequestHeaders.ParsePageSize(query["n"]) is { } requested ? Math.Min(requested, limits.MaxTags) : (int?)null;

        var last = query["last"].ToString() is { Length: > 0 } l ? l : null;
        var tags = await store.Repository(route.Name).Tags.ListAsync(context.RequestAborted)
            ?? throw new RegistryException(RegistryErrorCode.NameUnknown, "repository name not known to registry", route.Name.Value);

        IEnumerable<string> after = last is null ? tags : tags.Where(tag => string.CompareOrdinal(tag, last) > 0);
        var page = count is { } n ? after.Take(n + 1).ToList() : after.ToList();
        if (count is { } limit && page.Count > limit)
        {
            page.RemoveAt(page.Count - 1);
            if (limit > 0)
            {
                context.Response.Headers.Link = NextLink($"/v2/{route.Name}/tags/list?n={limit}&last={Uri.EscapeDataString(page[^1])}");
            }
        }

        await WriteJsonAsync(context, new TagList(route.Name.Value, page), BerthJsonContext.Wire.TagList);
    }

    public async Task ReferrersAsync(HttpContext context, V2Route route)
    {
        var subject = Digest.Parse(route.Argument);
        var artifactType = context.Request.Query["artifactType"].ToString() is { Length: > 0 } t ? t : null;
        var referrers = await store.Repository(route.Name).Referrers.ListAsync(subject, artifactType, context.RequestAborted);
        if (artifactType is not null)
        {
            context.Response.Headers[HttpHeaderNames.OciFiltersApplied] = "artifactType";
        }

        var index = new ReferrersIndex(2, MediaTypes.OciIndex, referrers.Select(ToWire).ToList());
        context.Response.ContentType = MediaTypes.OciIndex;
        await JsonSerializer.SerializeAsync(context.Response.Body, index, BerthJsonContext.Wire.ReferrersIndex, context.RequestAborted);
    }

    private static ReferrerDescriptor ToWire(Descriptor descriptor) =>
        new(descriptor.MediaType, descriptor.Digest.ToString(), descriptor.Size, descriptor.ArtifactType, descriptor.Annotations);

    /// <summary>Sends a listing whole with its length, so HEAD can answer the same headers without the body.</summary>
    private static Task WriteJsonAsync<T>(HttpContext context, T body, JsonTypeInfo<T> type)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, type);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
