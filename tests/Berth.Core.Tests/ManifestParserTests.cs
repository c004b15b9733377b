using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Core.Manifests;

namespace Berth.Core.Tests;

/// <summary>Manifests the parser accepts, and the parsed view it gives of them.</summary>
public sealed class ManifestParserTests
{
    [Theory]
    [InlineData(MediaTypes.OciManifest, ManifestJson.ImageConfig, ManifestJson.OciLayer)]
    [InlineData(MediaTypes.DockerManifest, ManifestJson.DockerConfig, ManifestJson.DockerLayer)]
    public void Parse_ImageManifest_ReadsConfigAndLayers(string mediaType, string configType, string layerType)
    {
        var json = ManifestJson.Of(mediaType);

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), mediaType);

        Assert.Equal(mediaType, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.Equal(configType, manifest.Config!.MediaType);
        Assert.Equal(ManifestJson.DigestOf("{\"architecture\":\"amd64\",\"os\":\"linux\"}"), manifest.Config.Digest);
        Assert.Equal(37, manifest.Config.Size);
        Assert.Equal([ManifestJson.DigestOf("layer one"), ManifestJson.DigestOf("layer two")], manifest.Layers.Select(l => l.Digest));
        Assert.All(manifest.Layers, l => Assert.Equal(layerType, l.MediaType));
        Assert.All(manifest.Layers, l => Assert.Equal(9, l.Size));
        Assert.Empty(manifest.Manifests);
        Assert.Null(manifest.Subject);
        Assert.Null(manifest.Annotations);
        Assert.Null(manifest.ArtifactType);
        Assert.Equal(configType, manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Parse_GenericJsonContentType_BodyMediaTypeWins()
    {
        // Some older clients send application/json for any manifest; only schemaVersion 1 makes it schema1.
        var manifest = ManifestParser.Parse(ManifestJson.Bytes(ManifestJson.OciImage()), "application/json");

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
    }

    [Fact]
    public void Parse_UpperCaseContentType_MatchesLowerCaseBody()
    {
        var manifest = ManifestParser.Parse(ManifestJson.Bytes(ManifestJson.OciImage()), MediaTypes.OciManifest.ToUpperInvariant());

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex, MediaTypes.OciManifest)]
    [InlineData(MediaTypes.DockerManifestList, MediaTypes.DockerManifest)]
    public void Parse_Index_ReadsChildManifests(string mediaType, string childType)
    {
        var json = ManifestJson.Of(mediaType);

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), mediaType);

        Assert.Equal(mediaType, manifest.MediaType);
        Assert.True(manifest.IsIndex);
        Assert.Null(manifest.Config);
        Assert.Empty(manifest.Layers);
        Assert.Equal([ManifestJson.DigestOf("amd64 manifest"), ManifestJson.DigestOf("arm64 manifest")], manifest.Manifests.Select(m => m.Digest));
        Assert.All(manifest.Manifests, m => Assert.Equal(childType, m.MediaType));
        Assert.Null(manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Parse_Artifact_ReadsArtifactTypeSubjectAndAnnotations()
    {
        var json = ManifestJson.Artifact("the image");

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), MediaTypes.OciManifest);

        Assert.Equal(ManifestJson.SbomType, manifest.ArtifactType);
        Assert.Equal(ManifestJson.SbomType, manifest.EffectiveArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, manifest.Config!.MediaType);
        Assert.Equal(2, manifest.Config.Size);
        Assert.Equal(ManifestJson.DigestOf("the image"), manifest.Subject!.Digest);
        Assert.Equal(MediaTypes.OciManifest, manifest.Subject.MediaType);
        Assert.Equal("sbom", manifest.Annotations!["org.example.kind"]);
        Assert.Equal("2024-05-01T12:00:00Z", manifest.Annotations["org.opencontainers.image.created"]);
        Assert.Equal(2, manifest.Annotations.Count);
    }

    [Fact]
    public void Parse_ArtifactWithoutArtifactType_EffectiveTypeIsConfigMediaType()
    {
        var json = ManifestJson.Artifact("the image");
        json.Remove("artifactType");
        json["config"] = ManifestJson.Descriptor("application/vnd.cncf.helm.config.v1+json", "{\"name\":\"chart\"}");

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), null);

        Assert.Null(manifest.ArtifactType);
        Assert.Equal("application/vnd.cncf.helm.config.v1+json", manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Parse_IndexWithArtifactTypeAndSubject_KeepsBoth()
    {
        var json = ManifestJson.OciIndex();
        json["artifactType"] = ManifestJson.SbomType;
        json["subject"] = ManifestJson.Descriptor(MediaTypes.OciIndex, "the index");

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), MediaTypes.OciIndex);

        Assert.Equal(ManifestJson.SbomType, manifest.EffectiveArtifactType);
        Assert.Equal(ManifestJson.DigestOf("the index"), manifest.Subject!.Digest);
    }

    [Fact]
    public void Parse_DescriptorDetails_KeptOnDescriptor()
    {
        var json = ManifestJson.OciIndex();
        var child = json["manifests"]![0]!.AsObject();
        child["artifactType"] = ManifestJson.SbomType;
        child["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "v1" };

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), null);

        Assert.Equal(ManifestJson.SbomType, manifest.Manifests[0].ArtifactType);
        Assert.Equal("v1", manifest.Manifests[0].Annotations!["org.opencontainers.image.ref.name"]);
        Assert.Null(manifest.Manifests[1].ArtifactType);
        Assert.Null(manifest.Manifests[1].Annotations);
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest, MediaTypes.OciManifest)]
    [InlineData(MediaTypes.DockerManifest, MediaTypes.DockerManifest)]
    [InlineData(null, MediaTypes.OciManifest)]
    [InlineData("", MediaTypes.OciManifest)]
    [InlineData("application/octet-stream", MediaTypes.OciManifest)]
    [InlineData(MediaTypes.DockerManifest + "; charset=utf-8", MediaTypes.DockerManifest)]
    public void Parse_ImageWithoutMediaType_ResolvedByContentTypeElseOci(string? contentType, string expected)
    {
        var json = ManifestJson.OciImage();
        json.Remove("mediaType");

        Assert.Equal(expected, ManifestParser.Parse(ManifestJson.Bytes(json), contentType).MediaType);
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex, MediaTypes.OciIndex)]
    [InlineData(MediaTypes.DockerManifestList, MediaTypes.DockerManifestList)]
    [InlineData(null, MediaTypes.OciIndex)]
    public void Parse_IndexWithoutMediaType_ResolvedByContentTypeElseShape(string? contentType, string expected)
    {
        var json = ManifestJson.OciIndex();
        json.Remove("mediaType");

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), contentType);

        Assert.Equal(expected, manifest.MediaType);
        Assert.Equal(2, manifest.Manifests.Count);
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest + "; charset=utf-8")]
    [InlineData(MediaTypes.OciManifest + ";charset=UTF-8")]
    [InlineData("  " + MediaTypes.OciManifest + "  ")]
    [InlineData("application/octet-stream")]
    public void Parse_ContentTypeWithParametersOrUnrelated_Accepted(string contentType)
    {
        var manifest = ManifestParser.Parse(ManifestJson.Bytes(ManifestJson.OciImage()), contentType);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
    }

    [Fact]
    public void Parse_OciImageWithoutLayers_AcceptedWithEmptyLayers()
    {
        var json = ManifestJson.OciImage();
        json.Remove("layers");

        Assert.Empty(ManifestParser.Parse(ManifestJson.Bytes(json), null).Layers);
    }

    [Fact]
    public void Parse_NullSubjectAndNullOptionalStrings_TreatedAsAbsent()
    {
        var json = ManifestJson.OciImage();
        json["subject"] = null;
        json["artifactType"] = null;

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), null);

        Assert.Null(manifest.Subject);
        Assert.Null(manifest.ArtifactType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Parse_LayerUrls_SetHasUrlsOnlyWhenNonEmpty(bool withUrl)
    {
        var json = ManifestJson.DockerImage();
        var urls = withUrl ? new JsonArray("https://mcr.microsoft.com/layer.tar.gz") : [];
        json["layers"]![0]!["urls"] = urls;

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), null);

        Assert.Equal(withUrl, manifest.Layers[0].HasUrls);
        Assert.Equal(withUrl ? ["https://mcr.microsoft.com/layer.tar.gz"] : null, manifest.Layers[0].Urls);
        Assert.False(manifest.Layers[1].HasUrls);
    }

    [Fact]
    public void Parse_LayerUrlThatIsNotText_Refused()
    {
        var json = ManifestJson.DockerImage();
        json["layers"]![0]!["urls"] = new JsonArray(42);

        var error = Assert.Throws<RegistryException>(() => ManifestParser.Parse(ManifestJson.Bytes(json), null));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
    }

    [Fact]
    public void Parse_IndexEntryPlatform_ReadsOsAndArchitecture()
    {
        var json = ManifestJson.OciIndex();
        json["manifests"]![0]!["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "arm64", ["variant"] = "v8" };

        var manifest = ManifestParser.Parse(ManifestJson.Bytes(json), null);

        Assert.Equal(new Platform("linux", "arm64"), manifest.Manifests[0].Platform);
    }

    [Fact]
    public void Parse_Sha512Digest_Accepted()
    {
        var json = ManifestJson.OciImage();
        json["layers"]![0]!["digest"] = "sha512:" + new string('0', 128);

        Assert.Equal(Digest.Sha512, ManifestParser.Parse(ManifestJson.Bytes(json), null).Layers[0].Digest.Algorithm);
    }

    [Fact]
    public void Parse_WhitespaceAroundDocument_Accepted()
    {
        var bytes = ManifestJson.Bytes(ManifestJson.OciImage());

        var manifest = ManifestParser.Parse([.. "\n  "u8, .. bytes, .. "\n"u8], null);

        Assert.Equal(2, manifest.Layers.Count);
    }
}
