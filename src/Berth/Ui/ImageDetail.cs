using System.Text;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Manifests;
using Berth.Core.Stores;

namespace Berth.Ui;

/// <summary>
/// Everything the image page shows of one manifest: its layers or platforms, its config, build history, annotations,
/// the tags that name it and its referrers (signatures, SBOMs, attestations). Manifest and config are untrusted
/// bytes: they are sent as JSON strings and values, which the page only ever shows as text.
/// </summary>
internal sealed class ImageDetail
{
    private StoredManifest _manifest = null!;
    private ImageSummary? _summary;
    private byte[]? _config;
    private IReadOnlyList<string> _tags = [];
    private IReadOnlyList<Descriptor> _referrers = [];
    private readonly List<(Descriptor Child, PlatformName? Platform, ImageSummary? Summary)> _children = [];

    public static async Task<ImageDetail> ReadAsync(RegistryBrowser browser, IRepository repository, StoredManifest manifest,
        CancellationToken cancellationToken)
    {
        var detail = new ImageDetail { _manifest = manifest };
        var parsed = manifest.Manifest;
        detail._summary = await browser.Images.GetAsync(repository, manifest.Digest, cancellationToken);
        if (parsed.Config is { } config && await BlobText.ReadAsync(repository, config, cancellationToken) is { } bytes && IsText(bytes))
        {
            detail._config = bytes;
        }

        if (parsed.IsIndex)
        {
            var platforms = ImageSummaries.IndexChildren(manifest.Bytes);
            foreach (var child in parsed.Manifests)
            {
                var summary = MediaTypes.IsIndex(child.MediaType) ? null : await browser.Images.GetAsync(repository, child.Digest, cancellationToken);
                detail._children.Add((child, platforms.GetValueOrDefault(child.Digest.ToString()), summary));
            }
        }

        detail._tags = [.. (await browser.TagsAsync(repository.Name, cancellationToken)).Where(tag => tag.Digest == manifest.Digest).Select(tag => tag.Tag)];
        detail._referrers = await repository.Referrers.ListAsync(manifest.Digest, null, cancellationToken);
        return detail;
    }

    public void Write(Utf8JsonWriter json, RepositoryName name, bool canDelete)
    {
        var parsed = _manifest.Manifest;
        json.WriteStartObject();
        json.WriteString("name", name.Value);
        json.WriteString("digest", _manifest.Digest.ToString());
        json.WriteString("mediaType", parsed.MediaType);
        json.WriteString("artifactType", ImageSummaries.ArtifactTypeOf(parsed));
        json.WriteString("configMediaType", parsed.Config?.MediaType);
        json.WriteNumber("size", _summary?.Size ?? _manifest.Bytes.Length);
        json.WriteBoolean("canDelete", canDelete);
        json.WriteStartArray("tags");
        foreach (var tag in _tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteString("manifest", Encoding.UTF8.GetString(_manifest.Bytes.Span));
        json.WriteString("config", _config is null ? null : Encoding.UTF8.GetString(_config));
        json.WriteString("subject", parsed.Subject?.Digest.ToString());
        json.WriteMap("annotations", parsed.Annotations);
        WriteChildren(json);
        WriteDescriptors(json, "layers", parsed.Layers);
        WriteDescriptors(json, "referrers", _referrers);
        WriteConfig(json);
        json.WriteEndObject();
    }

    private void WriteChildren(Utf8JsonWriter json)
    {
        json.WriteStartArray("children");
        foreach (var (child, platform, summary) in _children)
        {
            json.WriteStartObject();
            json.WriteString("digest", child.Digest.ToString());
            json.WriteString("mediaType", child.MediaType);
            json.WriteNumber("size", summary?.Size ?? child.Size);
            json.WriteString("artifactType", child.ArtifactType ?? summary?.ArtifactType);
            json.WritePlatform("platform", platform);
            json.WriteBoolean("stored", summary is not null);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteDescriptors(Utf8JsonWriter json, string name, IReadOnlyList<Descriptor> descriptors)
    {
        json.WriteStartArray(name);
        foreach (var descriptor in descriptors)
        {
            json.WriteStartObject();
            json.WriteString("digest", descriptor.Digest.ToString());
            json.WriteString("mediaType", descriptor.MediaType);
            json.WriteString("artifactType", descriptor.ArtifactType);
            json.WriteNumber("size", descriptor.Size);
            json.WriteMap("annotations", descriptor.Annotations);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// The fields of an image config the page lists, and its history. Only a runnable image's config is read this way;
    /// an artifact's config (a Helm chart's) is shown as its raw JSON alone.
    /// </summary>
    private void WriteConfig(Utf8JsonWriter json)
    {
        if (_config is null || _manifest.Manifest.Config is not { } descriptor || !MediaTypes.IsImageConfig(descriptor.MediaType) || Parse(_config) is not { } document)
        {
            json.WriteNull("image");
            json.WriteStartArray("history");
            json.WriteEndArray();
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var run = JsonText.Member(root, "config");
            json.WriteStartObject("image");
            json.WritePlatform("platform", PlatformName.From(root));
            json.WriteTime("created", JsonText.Time(root, "created"));
            json.WriteString("author", JsonText.String(root, "author"));
            json.WriteElement("entrypoint", JsonText.Member(run, "Entrypoint"), JsonValueKind.Array);
            json.WriteElement("cmd", JsonText.Member(run, "Cmd"), JsonValueKind.Array);
            json.WriteElement("env", JsonText.Member(run, "Env"), JsonValueKind.Array);
            json.WriteElement("exposedPorts", JsonText.Member(run, "ExposedPorts"), JsonValueKind.Object);
            json.WriteElement("labels", JsonText.Member(run, "Labels"), JsonValueKind.Object);
            json.WriteString("workingDir", JsonText.String(run, "WorkingDir"));
            json.WriteString("user", JsonText.String(run, "User"));
            json.WriteEndObject();
            json.WriteStartArray("history");
            var history = JsonText.Member(root, "history");
            if (history.ValueKind == JsonValueKind.Array)
            {
                foreach (var step in history.EnumerateArray())
                {
                    json.WriteStartObject();
                    json.WriteTime("created", JsonText.Time(step, "created"));
                    json.WriteString("createdBy", JsonText.String(step, "created_by"));
                    json.WriteString("comment", JsonText.String(step, "comment"));
                    json.WriteBoolean("emptyLayer", JsonText.Member(step, "empty_layer").ValueKind == JsonValueKind.True);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }
    }

    private static JsonDocument? Parse(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A config the page can show as text: valid UTF-8 (a binary "config" of some artifact is not shown).</summary>
    private static bool IsText(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
