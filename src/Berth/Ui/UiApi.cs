using System.Text.Json;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Usage;

namespace Berth.Ui;

/// <summary>
/// The JSON the page reads, under <c>/ui/api/</c>: every answer is filtered by what the caller may pull, and a
/// repository the caller may not pull is answered as unknown. Deletes go through the served store, so they are
/// refused, logged and notified exactly as the API's own.
/// </summary>
internal sealed class UiApi(UiAccess access, RegistryBrowser browser, IRegistryStore served, UsageCache usage, Action startUsageScan)
{
    private const int RecentCount = 10;

    public async Task SessionAsync(HttpContext context)
    {
        var caller = await access.CallerAsync(context);
        await UiJson.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("user", caller.User);
            json.WriteString("auth", access.AuthMethod);
            json.WriteString("realm", access.Realm);
            json.WriteBoolean("deleteEnabled", access.DeleteEnabled);
            json.WriteEndObject();
        });
    }

    public async Task OverviewAsync(HttpContext context)
    {
        var (visible, everything, figures) = await ListVisibleAsync(context);
        var recent = visible.Where(summary => summary.LastPush is not null).OrderByDescending(summary => summary.LastPush).Take(RecentCount);
        await UiJson.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("repositories", visible.Count);
            json.WriteNumber("tags", visible.Sum(summary => (long)summary.Tags));
            // The registry's total only to a caller who sees all of it; the others learn nothing of what they cannot pull.
            if (everything && figures is not null)
            {
                json.WriteNumber("bytesInUse", figures.BytesInUse);
            }
            else
            {
                json.WriteNull("bytesInUse");
            }

            json.WriteTime("usageComputedAt", figures?.ComputedAt);
            WriteRepositories(json, "recent", recent, figures);
            json.WriteEndObject();
        });
    }

    public async Task RepositoriesAsync(HttpContext context)
    {
        var (visible, _, figures) = await ListVisibleAsync(context);
        await UiJson.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteTime("usageComputedAt", figures?.ComputedAt);
            WriteRepositories(json, "repositories", visible, figures);
            json.WriteEndObject();
        });
    }

    public async Task RepositoryAsync(HttpContext context)
    {
        var caller = await access.CallerAsync(context);
        var name = await browser.PullableAsync(access, caller, context.Request.Query["name"], context.RequestAborted);
        var tags = await browser.TagsAsync(name, context.RequestAborted);
        var repository = browser.Repository(name);
        var summaries = await browser.SummariesAsync(repository, tags.Select(tag => tag.Digest).Distinct().ToList(), context.RequestAborted);

        var canDelete = await access.CanDeleteAsync(context, name);
        await UiJson.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", name.Value);
            json.WriteBoolean("canDelete", canDelete);
            // Each image once, and each tag as [tag, index of its image]: 10,000 tags would otherwise repeat their
            // digests and media types in megabytes of JSON the browser must parse before it draws a row.
            var positions = new Dictionary<Digest, int>(summaries.Count);
            json.WriteStartArray("images");
            foreach (var (digest, summary) in summaries)
            {
                positions[digest] = positions.Count;
                json.WriteStartObject();
                json.WriteString("digest", digest.ToString());
                WriteSummary(json, summary);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("tags");
            foreach (var tag in tags)
            {
                if (positions.TryGetValue(tag.Digest, out var position))
                {
                    json.WriteStartArray();
                    json.WriteStringValue(tag.Tag);
                    json.WriteNumberValue(position);
                    json.WriteEndArray();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public async Task ImageAsync(HttpContext context)
    {
        var caller = await access.CallerAsync(context);
        var name = await browser.PullableAsync(access, caller, context.Request.Query["name"], context.RequestAborted);
        var reference = Reference.ParseForLookup(context.Request.Query["ref"].ToString())
            ?? throw new RegistryException(RegistryErrorCode.ManifestUnknown, "manifest unknown");
        var repository = browser.Repository(name);
        var manifest = await repository.Manifests.GetAsync(reference, context.RequestAborted)
            ?? throw new RegistryException(RegistryErrorCode.ManifestUnknown, "manifest unknown", reference.ToString());
        var detail = await ImageDetail.ReadAsync(browser, repository, manifest, context.RequestAborted);
        var canDelete = await access.CanDeleteAsync(context, name);
        await UiJson.WriteAsync(context, json => detail.Write(json, name, canDelete));
    }

    public async Task DeleteTagAsync(HttpContext context)
    {
        var name = await DeletableAsync(context);
        var tag = Tag.TryParse(context.Request.Query["tag"], out var parsed)
            ? parsed
            : throw new RegistryException(RegistryErrorCode.TagInvalid, "invalid tag");
        await DeleteAsync(context, name, Reference.Of(tag));
    }

    public async Task DeleteImageAsync(HttpContext context)
    {
        var name = await DeletableAsync(context);
        await DeleteAsync(context, name, Reference.Of(Digest.Parse(context.Request.Query["digest"])));
    }

    private async Task DeleteAsync(HttpContext context, RepositoryName name, Reference reference)
    {
        if (!await served.Repository(name).Manifests.DeleteAsync(reference, context.RequestAborted))
        {
            throw new RegistryException(RegistryErrorCode.ManifestUnknown, "manifest unknown", reference.ToString());
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary>The repository of a delete: from the page itself, by a caller who may pull it and holds the delete right.</summary>
    private async Task<RepositoryName> DeletableAsync(HttpContext context)
    {
        UiAccess.RequireSameOrigin(context);
        var caller = await access.CallerAsync(context);
        var name = await browser.PullableAsync(access, caller, context.Request.Query["name"], context.RequestAborted);
        if (!access.DeleteEnabled)
        {
            throw new RegistryException(RegistryErrorCode.Unsupported, "deletion is disabled (storage.delete.enabled)");
        }

        if (!await access.CanDeleteAsync(context, name))
        {
            throw new RegistryException(RegistryErrorCode.Denied, "requested access to the resource is denied");
        }

        return name;
    }

    private async Task<(IReadOnlyList<RepositorySummary> Visible, bool Everything, StorageUsage? Figures)> ListVisibleAsync(HttpContext context)
    {
        startUsageScan();
        var caller = await access.CallerAsync(context);
        var (names, hidden) = await browser.VisibleAsync(access, caller, context.RequestAborted);
        var summaries = await browser.Summaries.GetAsync(names, context.RequestAborted);
        return (summaries, hidden == 0, await usage.CurrentAsync(context.RequestAborted));
    }

    private static void WriteRepositories(Utf8JsonWriter json, string name, IEnumerable<RepositorySummary> summaries, StorageUsage? figures)
    {
        json.WriteStartArray(name);
        foreach (var summary in summaries)
        {
            WriteRepository(json, summary, figures);
        }

        json.WriteEndArray();
    }

    private static void WriteRepository(Utf8JsonWriter json, RepositorySummary summary, StorageUsage? figures)
    {
        json.WriteStartObject();
        json.WriteString("name", summary.Name);
        json.WriteNumber("tags", summary.Tags);
        json.WriteTime("lastPush", summary.LastPush);
        if (figures?.Find(summary.Name) is { } used)
        {
            json.WriteNumber("bytes", used.TotalBytes);
        }
        else
        {
            json.WriteNull("bytes");
        }

        json.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter json, ImageSummary summary)
    {
        if (Core.Manifests.MediaTypes.IsIndex(summary.MediaType))
        {
            json.WriteBoolean("index", true);
        }

        if (summary.ArtifactType is not null)
        {
            json.WriteString("artifactType", summary.ArtifactType);
        }

        json.WriteNumber("size", summary.Size);
        json.WriteStartArray("platforms");
        foreach (var platform in summary.Platforms)
        {
            json.WriteStringValue(platform.ToString());
        }

        json.WriteEndArray();
        json.WriteTime("created", summary.Created);
    }
}
