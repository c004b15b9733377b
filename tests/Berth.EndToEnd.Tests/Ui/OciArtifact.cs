using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>An OCI manifest built in memory with the blobs it names (config first), ready for <see cref="OciPush"/>.</summary>
internal sealed record OciArtifact(byte[] Manifest, IReadOnlyList<byte[]> Blobs)
{
    public const string ManifestMediaType = OciImageLayout.ManifestMediaType;
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";

    public string Digest => OciImageLayout.DigestOf(Manifest);

    /// <summary>This manifest as a descriptor, for the <c>subject</c> of a referrer.</summary>
    public JsonObject Descriptor() => Describe(ManifestMediaType, Manifest);

    /// <summary>
    /// A manifest over <paramref name="config"/> (with <paramref name="configMediaType"/>) and <paramref name="layers"/>
    /// (each with its media type); artifactType, subject and annotations only when given.
    /// </summary>
    public static OciArtifact Build(string configMediaType, byte[] config, IEnumerable<(string MediaType, byte[] Content)> layers,
        string? artifactType = null, OciArtifact? subject = null, JsonObject? annotations = null)
    {
        var layerList = layers.ToList();
        var manifest = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = ManifestMediaType };
        if (artifactType is not null)
        {
            manifest["artifactType"] = artifactType;
        }

        manifest["config"] = Describe(configMediaType, config);
        manifest["layers"] = new JsonArray([.. layerList.Select(layer => (JsonNode)Describe(layer.MediaType, layer.Content))]);
        if (subject is not null)
        {
            manifest["subject"] = subject.Descriptor();
        }

        if (annotations is not null)
        {
            manifest["annotations"] = annotations;
        }

        return new OciArtifact(Encoding.UTF8.GetBytes(manifest.ToJsonString()), [config, .. layerList.Select(layer => layer.Content)]);
    }

    /// <summary>An image manifest over an image config and gzip layers.</summary>
    public static OciArtifact Image(JsonObject config, params byte[][] layers) =>
        Build(OciImageLayout.ConfigMediaType, Encoding.UTF8.GetBytes(config.ToJsonString()),
            layers.Select(layer => (OciImageLayout.LayerMediaType, layer)));

    /// <summary>A referrer as cosign and SBOM tools push them: the empty config, one payload layer, a subject.</summary>
    public static OciArtifact Referrer(string artifactType, OciArtifact subject, string layerMediaType, string payload, JsonObject? annotations = null) =>
        Build(EmptyMediaType, "{}"u8.ToArray(), [(layerMediaType, Encoding.UTF8.GetBytes(payload))], artifactType, subject, annotations);

    /// <summary>A gzip tar holding <paramref name="files"/> (name, text); ustar with a fixed time (pax would add access and change times), so the bytes are stable.</summary>
    public static byte[] TarGz(params (string Name, string Text)[] files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    ModificationTime = DateTimeOffset.UnixEpoch,
                });
            }
        }

        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(tar.ToArray());
        }

        return gzip.ToArray();
    }

    /// <summary>A descriptor of <paramref name="content"/>.</summary>
    public static JsonObject Describe(string mediaType, byte[] content) =>
        new() { ["mediaType"] = mediaType, ["digest"] = OciImageLayout.DigestOf(content), ["size"] = content.Length };
}
