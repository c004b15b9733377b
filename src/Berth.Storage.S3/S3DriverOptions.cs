using Berth.Storage.Drivers;

namespace Berth.Storage.S3;

/// <summary>
/// <c>storage.s3</c> as registry:2 names its keys, bound by the host and turned into the driver here, so that the
/// AWS SDK stays inside this project. Sizes are bytes.
/// </summary>
public sealed record S3DriverOptions : IStorageDriverFactory
{
    /// <summary>S3's smallest part but the last: the floor of <see cref="ChunkSize"/> and of copy parts.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>S3's largest part (and largest single copy).</summary>
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;

    public const int DefaultChunkSize = 10 * 1024 * 1024;

    public const long DefaultMultipartCopyChunkSize = 32L * 1024 * 1024;

    public const int DefaultMultipartCopyMaxConcurrency = 100;

    public const long DefaultMultipartCopyThresholdSize = 32L * 1024 * 1024;

    /// <summary>How long a presigned read URL is valid, as registry:2's redirects are (20 minutes).</summary>
    public static readonly TimeSpan ReadUrlLifetime = TimeSpan.FromMinutes(20);

    /// <summary>The region requests are signed for; required by registry:2 unless <see cref="RegionEndpoint"/> is set.</summary>
    public string? Region { get; init; }

    /// <summary>An S3-compatible server (Ceph RGW, MinIO): <c>host:port</c> or a full URL.</summary>
    public string? RegionEndpoint { get; init; }

    public required string Bucket { get; init; }

    /// <summary>The key prefix everything lives under, as given (slashes are trimmed when keys are made).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>Static credentials; both null means the SDK's default chain (environment, profile, instance role).</summary>
    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    public bool ForcePathStyle { get; init; }

    /// <summary>https (true, the default) or http, when <see cref="RegionEndpoint"/> names no scheme.</summary>
    public bool Secure { get; init; } = true;

    /// <summary>Accept any TLS certificate from the server.</summary>
    public bool SkipVerify { get; init; }

    /// <summary>Server-side encryption: AES256, or aws:kms when <see cref="KeyId"/> is set.</summary>
    public bool Encrypt { get; init; }

    public string? KeyId { get; init; }

    /// <summary>An S3 storage class name; null (registry:2's <c>NONE</c>) sends none.</summary>
    public string? StorageClass { get; init; } = "STANDARD";

    /// <summary>The size of each part of a streamed upload: the memory a writer holds.</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    public long MultipartCopyChunkSize { get; init; } = DefaultMultipartCopyChunkSize;

    public int MultipartCopyMaxConcurrency { get; init; } = DefaultMultipartCopyMaxConcurrency;

    /// <summary>Objects above this size are copied in parts (UploadPartCopy), at or below it in one CopyObject.</summary>
    public long MultipartCopyThresholdSize { get; init; } = DefaultMultipartCopyThresholdSize;

    /// <summary>Added to the SDK's User-Agent.</summary>
    public string? UserAgent { get; init; }

    /// <summary>How long one request may take before it is abandoned and retried (connect, send, response headers).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long opening a connection may take: what a dead or unreachable endpoint costs per attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt of each request (the SDK's standard backoff with jitter between them).</summary>
    public int MaxErrorRetry { get; init; } = 2;

    public string DriverName => "s3";

    public string Location => $"bucket {Bucket} at {RegionEndpoint ?? Region ?? "the default endpoint"}, root '{RootDirectory}'";

    public IStorageDriver Create() => new S3StorageDriver(this, S3ClientFactory.Create(this));
}
