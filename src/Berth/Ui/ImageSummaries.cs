using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Manifests;
using Berth.Core.Stores;

namespace Berth.Ui;

/// <summary>A platform as the page names it: <c>linux/arm64/v8</c>.</summary>
internal sealed record PlatformName(string Os, string Architecture, string? Variant)
{
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <returns>The platform an object with <c>os</c> and <c>architecture</c> names (an image config, an index entry's
    /// <c>platform</c>), or null when it names none.</returns>
    public static PlatformName? From(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && JsonText.String(element, "os") is { } os && JsonText.String(element, "architecture") is { } architecture
            ? new PlatformName(os, architecture, JsonText.String(element, "variant"))
            : null;
}

/// <summary>What the repository page shows of one image: its kind, size, platforms and when it was built.</summary>
/// <param name="Size">Every byte a pull fetches: the manifest, its config and layers (an index: each platform's).</param>
internal sealed record ImageSummary(string MediaType, string? ArtifactType, long Size, IReadOnlyList<PlatformName> Platforms, DateTimeOffset? Created);

/// <summary>
/// Summaries of images by digest. A digest names the same bytes forever, so a summary is computed once (the manifest,
/// its config, for an index each child's) and kept: a repository of 10,000 tags over a few hundred images costs a few
/// hundred reads once, then none. Bounded: past <see cref="Capacity"/> the oldest half is dropped.
/// </summary>
internal sealed class ImageSummaries
{
    private const int Capacity = 50_000;

    private readonly ConcurrentDictionary<Digest, ImageSummary> _summaries = new();

    /// <summary>The summary already known, without reading anything.</summary>
    public bool TryGet(Digest digest, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ImageSummary? summary) =>
        _summaries.TryGetValue(digest, out summary);

    /// <returns>The summary, or null when the repository holds no manifest of that digest.</returns>
    public async Task<ImageSummary?> GetAsync(IRepository repository, Digest digest, CancellationToken cancellationToken)
    {
        if (_summaries.TryGetValue(digest, out var known))
        {
            return known;
        }

        if (await repository.Manifests.GetAsync(Reference.Of(digest), cancellationToken) is not { } manifest)
        {
            return null;
        }

        var summary = manifest.Manifest.IsIndex
            ? await SummariseIndexAsync(repository, manifest, cancellationToken)
            : await SummariseImageAsync(repository, manifest, cancellationToken);
        if (_summaries.Count >= Capacity)
        {
            // Rare and cheap to recompute: forget an arbitrary half rather than keep usage order on every read.
            foreach (var key in _summaries.Keys.Take(Capacity / 2))
            {
                _summaries.TryRemove(key, out _);
            }
        }

        _summaries[digest] = summary;
        return summary;
    }

    private static async Task<ImageSummary> SummariseImageAsync(IRepository repository, StoredManifest manifest, CancellationToken cancellationToken)
    {
        var parsed = manifest.Manifest;
        var size = manifest.Bytes.Length + (parsed.Config?.Size ?? 0) + parsed.Layers.Sum(layer => layer.Size);
        PlatformName? platform = null;
        DateTimeOffset? created = null;
        if (parsed.Config is { } config && MediaTypes.IsImageConfig(config.MediaType) && await BlobText.ReadAsync(repository, config, cancellationToken) is { } bytes)
        {
            (platform, created) = ReadConfig(bytes);
        }

        return new ImageSummary(parsed.MediaType, ArtifactTypeOf(parsed), size, platform is null ? [] : [platform], created);
    }

    private async Task<ImageSummary> SummariseIndexAsync(IRepository repository, StoredManifest index, CancellationToken cancellationToken)
    {
        var size = (long)index.Bytes.Length;
        DateTimeOffset? created = null;
        var platforms = new List<PlatformName>();
        var children = IndexChildren(index.Bytes);
        foreach (var child in index.Manifest.Manifests)
        {
            // A child's own summary gives its size and time; an index inside an index is counted by its descriptor.
            var summary = MediaTypes.IsIndex(child.MediaType) ? null : await GetAsync(repository, child.Digest, cancellationToken);
            size += summary?.Size ?? child.Size;
            if (summary?.Created is { } built && (created is null || built > created))
            {
                // The index was made when its newest platform was.
                created = built;
            }

            if (children.GetValueOrDefault(child.Digest.ToString()) is { } platform && platform.Os != "unknown")
            {
                // BuildKit's attestation manifests are listed as unknown/unknown: not a platform anyone pulls.
                platforms.Add(platform);
            }
        }

        return new ImageSummary(index.Manifest.MediaType, index.Manifest.ArtifactType, size, platforms, created);
    }

    /// <summary>The platform each entry of an index names, with the variant the parsed view leaves out.</summary>
    public static Dictionary<string, PlatformName> IndexChildren(ReadOnlyMemory<byte> bytes)
    {
        var platforms = new Dictionary<string, PlatformName>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(bytes);
        if (document.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in manifests.EnumerateArray())
            {
                if (JsonText.String(entry, "digest") is { } digest && entry.TryGetProperty("platform", out var platform) && PlatformName.From(platform) is { } name)
                {
                    platforms[digest] = name;
                }
            }
        }

        return platforms;
    }

    /// <summary>The artifact type the page groups by: the manifest's own, else its config's media type unless that is an image config.</summary>
    public static string? ArtifactTypeOf(Manifest manifest) =>
        manifest.ArtifactType ?? (manifest.Config is { } config && !MediaTypes.IsImageConfig(config.MediaType) ? config.MediaType : null);

    private static (PlatformName? Platform, DateTimeOffset? Created) ReadConfig(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            return (PlatformName.From(root), JsonText.Time(root, "created"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
