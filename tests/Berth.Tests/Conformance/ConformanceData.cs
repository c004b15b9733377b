using System.Text;

namespace Berth.Tests.Conformance;

/// <summary>A blob or manifest with its digest, as the suite's <c>TestBlob</c>.</summary>
internal sealed record TestBlob(byte[] Content, string Digest)
{
    public static TestBlob Of(byte[] content) => new(content, OciJson.Digest(content));
}

/// <summary>
/// Everything the Go suite builds in setup.go's init(): one config and one image manifest per workflow (made unique
/// by a random author), the shared layer, the streamed and chunked blobs, and the referrers fixtures (artifacts whose
/// subject is manifests[4], one whose subject manifests[3] is never pushed during discovery, and an index artifact).
/// </summary>
internal sealed class ConformanceData
{
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string EmptyJson = "application/vnd.oci.empty.v1+json";
    public const string TestTagName = "tagtest0";
    public const string EmptyLayerTestTag = "emptylayer";
    public const string NonexistentManifest = ".INVALID_MANIFEST_NAME";
    public const string AnnotationKey = "org.opencontainers.conformance.test";
    public const string ArtifactTypeA = "application/vnd.nhl.peanut.butter.bagel";
    public const string ArtifactTypeB = "application/vnd.nba.strawberry.jam.croissant";
    public const string ArtifactTypeIndex = "application/vnd.food.stand";

    // A gzipped tarball of one text file, the same bytes the suite decodes from layerBase64String.
    private const string LayerBase64 = "H4sIAAAAAAAAA+3OQQrCMBCF4a49xXgBSUnaHMCTRBptQRNpp6i3t0UEV7oqIv7fYgbmzeJpHHSjVy0" +
        "WZCa1c/MufWVe94N3RWlrZ72x3k/30nhbFWKWLPU0Dhp6keJ8im//PuU/6pZH2WVtYx8b0Sz7LjWSR5VLG6YRBumSzOlGtjkd+qD" +
        "jMWiX07Befbs7AAAAAAAAAAAAAAAAAPyzO34MnqoAKAAA";

    // Only indexes 0..4 are used; the Go suite builds 16 (its numWorkflows constant is 1<<4), which changes nothing.
    private const int Workflows = 5;

    private readonly int _seed = Random.Shared.Next();

    public ConformanceData()
    {
        Layer = TestBlob.Of(Convert.FromBase64String(LayerBase64));
        var layers = new[] { Descriptor.Of("application/vnd.oci.image.layer.v1.tar+gzip", Layer.Content) };
        for (var i = 0; i < Workflows; i++)
        {
            Configs.Add(TestBlob.Of(OciJson.ImageConfig(RandomAuthor())));
            Manifests.Add(TestBlob.Of(OciJson.Serialize(new ManifestDocument
            {
                MediaType = ImageManifest,
                Config = ConfigDescriptor(Configs[i]),
                Layers = layers,
            })));
        }

        // No mediaType field and no layers: registries may refuse it (the spec only warns then).
        EmptyLayerManifest = TestBlob.Of(OciJson.Serialize(new ManifestDocument { Config = ConfigDescriptor(Configs[1]) }));
        BlobA = TestBlob.Of(RandomBytes(42, _seed + 1));
        SetupChunkedBlob(42);

        EmptyJsonBlob = TestBlob.Of("{}"u8.ToArray());
        RefBlobA = TestBlob.Of(Encoding.ASCII.GetBytes("NHL Peanut Butter on my NHL bagel"));
        RefBlobB = TestBlob.Of(Encoding.ASCII.GetBytes("NBA Strawberry Jam on my NBA croissant"));
        var subject = Descriptor.Of(ImageManifest, Manifests[4].Content);
        var empty = Descriptor.Of(EmptyJson, EmptyJsonBlob.Content);
        RefsAConfig = Referrer(new() { Config = Descriptor.Of(ArtifactTypeA, RefBlobA.Content), Layers = [empty] }, subject, "test config a");
        RefsBConfig = Referrer(new() { Config = Descriptor.Of(ArtifactTypeB, RefBlobB.Content), Layers = [empty] }, subject, "test config b");
        RefsALayer = Referrer(new() { ArtifactType = ArtifactTypeA, Config = empty, Layers = [Descriptor.Of(ArtifactTypeA, RefBlobA.Content)] },
            subject, "test layer a");
        RefsBLayer = Referrer(new() { ArtifactType = ArtifactTypeB, Config = empty, Layers = [Descriptor.Of(ArtifactTypeB, RefBlobB.Content)] },
            subject, "test layer b");
        RefsCLayer = Referrer(new() { ArtifactType = ArtifactTypeB, Config = empty, Layers = [Descriptor.Of(ArtifactTypeB, RefBlobB.Content)] },
            Descriptor.Of(ImageManifest, Manifests[3].Content), annotation: null);
        RefsIndex = Referrer(new()
        {
            MediaType = ImageIndex,
            ArtifactType = ArtifactTypeIndex,
            Manifests = [Descriptor.Of(ImageManifest, RefsAConfig.Content), Descriptor.Of(ImageManifest, RefsALayer.Content)],
        }, subject, "test index");
    }

    public List<TestBlob> Configs { get; } = [];

    public List<TestBlob> Manifests { get; } = [];

    public TestBlob Layer { get; }

    public TestBlob EmptyLayerManifest { get; }

    /// <summary>The streamed (PATCH without Content-Range) blob.</summary>
    public TestBlob BlobA { get; }

    /// <summary>The chunked blob and its two chunks; rebuilt bigger when the registry asks for a minimum chunk.</summary>
    public TestBlob BlobB { get; private set; } = null!;

    public byte[] BlobBChunk1 { get; private set; } = [];

    public byte[] BlobBChunk2 { get; private set; } = [];

    public string BlobBChunk1Range => $"0-{BlobBChunk1.Length - 1}";

    public string BlobBChunk2Range => $"{BlobBChunk1.Length}-{BlobB.Content.Length - 1}";

    public TestBlob EmptyJsonBlob { get; }

    public TestBlob RefBlobA { get; }

    public TestBlob RefBlobB { get; }

    public TestBlob RefsAConfig { get; }

    public TestBlob RefsBConfig { get; }

    public TestBlob RefsALayer { get; }

    public TestBlob RefsBLayer { get; }

    public TestBlob RefsCLayer { get; }

    public TestBlob RefsIndex { get; }

    /// <summary>The annotation value each referrer of manifests[4] carries, by digest.</summary>
    public Dictionary<string, string> AnnotationValues { get; } = [];

    public static string DummyDigest { get; } = OciJson.Digest("hello world"u8.ToArray());

    public static byte[] InvalidManifestContent { get; } = "blablabla"u8.ToArray();

    public void SetupChunkedBlob(int size)
    {
        BlobB = TestBlob.Of(RandomBytes(size, _seed + 2));
        BlobBChunk1 = BlobB.Content[..(size / 2 + 1)];
        BlobBChunk2 = BlobB.Content[(size / 2 + 1)..];
    }

    // The config descriptor embeds the config itself as data plus an unknown field, as the suite does.
    private static Descriptor ConfigDescriptor(TestBlob config) => new(ImageConfig, config.Digest, config.Content.Length)
    {
        Data = config.Content,
        NewUnspecifiedField = "hello world"u8.ToArray(),
    };

    private TestBlob Referrer(ManifestDocument document, Descriptor subject, string? annotation)
    {
        var full = document with
        {
            MediaType = document.MediaType ?? ImageManifest,
            Subject = subject,
            Annotations = annotation is null ? null : new Dictionary<string, string> { [AnnotationKey] = annotation },
        };
        var blob = TestBlob.Of(OciJson.Serialize(full));
        if (annotation is not null)
        {
            AnnotationValues[blob.Digest] = annotation;
        }

        return blob;
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string RandomAuthor()
    {
        const string letters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
        return string.Create(16, letters, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = source[Random.Shared.Next(source.Length)];
            }
        });
    }
}
