namespace Berth.Core.Manifests;

/// <summary>The manifest media types Berth stores, and the ones it knows to refuse.</summary>
public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string DockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public const string OciNonDistributableLayer = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string OciNonDistributableLayerGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciNonDistributableLayerZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    public const string OciImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string DockerImageConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>Whether a config is a runnable image's (OS, architecture, entrypoint), not some artifact's.</summary>
    public static bool IsImageConfig(string mediaType) => mediaType is OciImageConfig or DockerImageConfig;

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsImageManifest(string mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>Layers whose content may live only at their URLs, so the registry need not hold their blobs.</summary>
    public static bool IsNonDistributableLayer(string mediaType) =>
        mediaType is DockerForeignLayer or OciNonDistributableLayer or OciNonDistributableLayerGzip or OciNonDistributableLayerZstd;

    public static bool IsSchema1(string? mediaType) =>
        mediaType is DockerSchema1 or DockerSchema1Signed;
}
