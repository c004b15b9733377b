using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Core.Manifests;

namespace Berth.Core.Tests;

/// <summary>
/// Manifests the parser refuses. Every refusal must be MANIFEST_INVALID (a 400), never another exception type,
/// since anything else would surface as a 5xx.
/// </summary>
public sealed class ManifestParserRefusalTests
{
    private static RegistryException Refuse(JsonNode json, string? contentType = null) => Refuse(ManifestJson.Bytes(json), contentType);

    private static RegistryException Refuse(byte[] bytes, string? contentType = null) =>
        RegistryAssert.Throws(RegistryErrorCode.ManifestInvalid, () => ManifestParser.Parse(bytes, contentType), status: 400);

    [Theory]
    [InlineData(null)]
    [InlineData(MediaTypes.DockerSchema1)]
    [InlineData(MediaTypes.DockerSchema1Signed)]
    public void Parse_SchemaVersion1_RefusedAsSchema1(string? contentType)
    {
        var json = new JsonObject
        {
            ["schemaVersion"] = 1,
            ["name"] = "labs/nginx",
            ["tag"] = "latest",
            ["architecture"] = "amd64",
            ["fsLayers"] = new JsonArray(new JsonObject { ["blobSum"] = ManifestJson.DigestOf("layer").ToString() }),
            ["history"] = new JsonArray(new JsonObject { ["v1Compatibility"] = "{}" }),
        };

        Assert.Contains("schema1", Refuse(json, contentType).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1)]
    [InlineData(MediaTypes.DockerSchema1Signed)]
    public void Parse_Schema1ContentType_RefusedAsSchema1(string contentType)
    {
        var json = ManifestJson.DockerImage();
        json.Remove("mediaType");

        Assert.Contains("schema1", Refuse(json, contentType).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Schema1MediaTypeInBody_RefusedAsSchema1()
    {
        var json = ManifestJson.DockerImage();
        json["mediaType"] = MediaTypes.DockerSchema1Signed;

        Assert.Contains("schema1", Refuse(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"schemaVersion\":2,}")]
    [InlineData("not json")]
    [InlineData("\"schemaVersion\"")]
    [InlineData("[]")]
    [InlineData("[{\"schemaVersion\":2}]")]
    [InlineData("null")]
    [InlineData("2")]
    [InlineData("{}")]
    [InlineData("{\"schemaVersion\":3,\"config\":{}}")]
    [InlineData("{\"schemaVersion\":\"2\"}")]
    [InlineData("{\"schemaVersion\":0}")]
    [InlineData("{\"schemaVersion\":-2}")]
    [InlineData("{\"schemaVersion\":2.5}")]
    [InlineData("{\"schemaVersion\":1e10}")]
    [InlineData("{\"schemaVersion\":99999999999999999999}")]
    public void Parse_NotAVersion2Object_Refused(string text)
    {
        Refuse(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void Parse_SchemaVersionMissing_Refused()
    {
        var json = ManifestJson.OciImage();
        json.Remove("schemaVersion");

        Assert.Contains("schemaVersion", Refuse(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest, MediaTypes.DockerManifest)]
    [InlineData(MediaTypes.OciManifest, MediaTypes.OciIndex)]
    [InlineData(MediaTypes.DockerManifest, MediaTypes.OciManifest + "; charset=utf-8")]
    [InlineData(MediaTypes.OciIndex, MediaTypes.DockerManifestList)]
    public void Parse_MediaTypeDisagreesWithContentType_Refused(string declared, string contentType)
    {
        var json = ManifestJson.Of(declared);

        Assert.Contains("does not match", Refuse(json, contentType).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/vnd.oci.artifact.manifest.v1+json")]
    [InlineData("application/vnd.example.unknown+json")]
    [InlineData(MediaTypes.OciEmpty)]
    [InlineData("")]
    public void Parse_UnknownMediaType_Refused(string mediaType)
    {
        var json = ManifestJson.OciImage();
        json["mediaType"] = mediaType;

        Assert.Contains("unsupported", Refuse(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest, "config")]
    [InlineData(MediaTypes.DockerManifest, "config")]
    [InlineData(MediaTypes.DockerManifest, "layers")]
    [InlineData(MediaTypes.OciIndex, "manifests")]
    [InlineData(MediaTypes.DockerManifestList, "manifests")]
    public void Parse_RequiredFieldMissing_RefusedNamingIt(string mediaType, string field)
    {
        var json = ManifestJson.Of(mediaType);
        json.Remove(field);

        Assert.Contains(field, Refuse(json, mediaType).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IndexManifestsNotAnArray_Refused()
    {
        var json = ManifestJson.OciIndex();
        json["manifests"] = ManifestJson.Descriptor(MediaTypes.OciManifest, "one manifest");

        Assert.Contains("must be an array", Refuse(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mediaType")]
    [InlineData("digest")]
    [InlineData("size")]
    public void Parse_LayerMissingField_Refused(string field)
    {
        var json = ManifestJson.OciImage();
        json["layers"]![1]!.AsObject().Remove(field);

        Refuse(json);
    }

    [Theory]
    [InlineData("config")]
    [InlineData("subject")]
    public void Parse_DescriptorWithoutDigest_NamesWhere(string where)
    {
        var json = ManifestJson.Artifact("the image");
        json[where]!.AsObject().Remove("digest");

        Assert.StartsWith(where + ":", Refuse(json).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, JsonNode?> BadDescriptorValues => new()
    {
        { "size", -1 },
        { "size", 1.5 },
        { "size", "12" },
        { "size", null },
        { "size", true },
        { "digest", "sha256:abc" },
        { "digest", "sha256:../../../../etc/passwd" },
        { "digest", "md5:d41d8cd98f00b204e9800998ecf8427e" },
        { "digest", 12 },
        { "mediaType", 12 },
        { "mediaType", new JsonObject() },
        { "artifactType", false },
        { "annotations", new JsonObject { ["n"] = 1 } },
        { "annotations", new JsonObject { ["n"] = null } },
    };

    [Theory]
    [MemberData(nameof(BadDescriptorValues))]
    public void Parse_LayerWithBadValue_Refused(string field, JsonNode? value)
    {
        var json = ManifestJson.OciImage();
        json["layers"]![0]![field] = value;

        Refuse(json);
    }

    [Fact]
    public void Parse_BadDigestInDescriptor_DetailIsTheDigest()
    {
        var json = ManifestJson.OciIndex();
        json["manifests"]![1]!["digest"] = "sha256:UPPER";

        Assert.Equal("sha256:UPPER", Refuse(json).Detail);
    }

    public static TheoryData<string, JsonNode?> BadTopLevelValues => new()
    {
        { "mediaType", 2 },
        { "artifactType", new JsonArray() },
        { "config", "sha256:abc" },
        { "config", null },
        { "layers", new JsonObject() },
        { "layers", new JsonArray("not a descriptor") },
        { "subject", new JsonObject() },
        { "subject", "sha256:abc" },
        { "annotations", new JsonObject { ["org.example.count"] = 3 } },
        { "annotations", new JsonObject { ["org.example.nested"] = new JsonObject() } },
    };

    [Theory]
    [MemberData(nameof(BadTopLevelValues))]
    public void Parse_ImageWithBadTopLevelValue_Refused(string field, JsonNode? value)
    {
        var json = ManifestJson.Artifact("the image");
        json[field] = value;

        Refuse(json);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void Parse_DeeplyNestedJson_RefusedNotCrashed(int depth)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var text = "{\"schemaVersion\":2,\"config\":" + ManifestJson.Descriptor(ManifestJson.ImageConfig, "{}").ToJsonString()
            + ",\"annotations\":{\"x\":\"y\"},\"deep\":" + nested + "}";

        Refuse(Encoding.UTF8.GetBytes(text));
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2}")]
    [InlineData(" x")]
    [InlineData("]")]
    [InlineData("\n2")]
    public void Parse_TrailingContentAfterDocument_Refused(string trailing)
    {
        Refuse([.. ManifestJson.Bytes(ManifestJson.OciImage()), .. Encoding.UTF8.GetBytes(trailing)]);
    }

    [Fact]
    public void Parse_InvalidUtf8InString_Refused()
    {
        var json = ManifestJson.OciImage();
        json["layers"]![0]!["mediaType"] = "MARK";
        var text = ManifestJson.Bytes(json);
        var at = Encoding.UTF8.GetString(text).IndexOf("MARK", StringComparison.Ordinal);
        text[at] = 0xFF;

        Refuse(text);
    }

    /// <summary>Written as raw text: a JsonObject cannot hold the lone surrogates the reader lets through.</summary>
    [Theory]
    [InlineData("\"sbom\"")]
    [InlineData("[\"sbom\"]")]
    [InlineData("3")]
    [InlineData("{\"a\":\"\\uD800\"}")]
    [InlineData("{\"a\":\"\\uDC00x\"}")]
    [InlineData("{\"\\uD800\":\"x\"}")]
    public void Parse_AnnotationsNotAStringMap_Refused(string annotations)
    {
        var text = ManifestJson.OciImage().ToJsonString().TrimEnd('}') + ",\"annotations\":" + annotations + "}";

        Refuse(Encoding.UTF8.GetBytes(text));
    }
}
