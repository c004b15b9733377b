using System.Globalization;
using Berth.Storage.S3;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>storage.s3</c> (and its other name <c>storage.s3-aws</c>) with registry:2's keys, limits and defaults;
/// the keys Berth cannot honour are named in a warning.
/// </summary>
internal static class S3SettingsBinder
{
    /// <summary>Berth holds one part per upload in memory, so a part is capped here rather than at S3's 5 GiB.</summary>
    private const long MaxChunkSize = 1024L * 1024 * 1024;

    /// <summary>registry:2's instant-retrieval classes; <c>NONE</c> sends no class (servers that know none).</summary>
    private static readonly string[] StorageClasses =
        ["NONE", "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "OUTPOSTS", "GLACIER_IR", "EXPRESS_ONEZONE"];

    /// <summary>registry:2/3 keys with no effect in Berth, and why.</summary>
    private static readonly (string Key, string Reason)[] Unsupported =
    [
        ("v4auth", "Berth always signs with AWS Signature Version 4"),
        ("loglevel", "the SDK's request logging is not exposed; Berth logs each failed call at its own log level"),
        ("usedualstack", "Berth uses the region's plain endpoint (or regionendpoint)"),
        ("accelerate", "Berth uses the region's plain endpoint (or regionendpoint)"),
        ("usefipsendpoint", "Berth uses the region's plain endpoint (or regionendpoint); give the FIPS endpoint as regionendpoint"),
    ];

    public static StorageSettings Bind(ConfigSection section)
    {
        var endpoint = NonEmpty(section, "regionendpoint");
        var region = NonEmpty(section, "region");
        if (region is null && endpoint is null)
        {
            throw new ConfigurationException(section.KeyPath("region"), "required (the bucket's AWS region) unless regionendpoint names an S3-compatible server");
        }

        var options = new S3DriverOptions
        {
            Region = region,
            RegionEndpoint = endpoint,
            Bucket = NonEmpty(section, "bucket") ?? throw new ConfigurationException(section.KeyPath("bucket"), "required: the bucket that holds the registry"),
            RootDirectory = section.GetString("rootdirectory") ?? "",
            AccessKey = NonEmpty(section, "accesskey"),
            SecretKey = NonEmpty(section, "secretkey"),
            // registry:2.8 addresses a regionendpoint path-style, registry:3 only with forcepathstyle: true. Absent, Berth
            // follows 2.8, which is what the S3-compatible servers behind a regionendpoint (RGW, MinIO) expect.
            ForcePathStyle = section.GetBool("forcepathstyle", fallback: endpoint is not null),
            Secure = section.GetBool("secure", fallback: true),
            SkipVerify = section.GetBool("skipverify", fallback: false),
            Encrypt = section.GetBool("encrypt", fallback: false),
            KeyId = NonEmpty(section, "keyid"),
            StorageClass = BindStorageClass(section),
            ChunkSize = (int)(GetSize(section, "chunksize", S3DriverOptions.MinPartSize, S3DriverOptions.MaxPartSize) is { } chunk
                ? Math.Min(chunk, MaxChunkSize) : S3DriverOptions.DefaultChunkSize),
            MultipartCopyChunkSize = GetSize(section, "multipartcopychunksize", S3DriverOptions.MinPartSize, S3DriverOptions.MaxPartSize)
                ?? S3DriverOptions.DefaultMultipartCopyChunkSize,
            MultipartCopyMaxConcurrency = section.GetInt("multipartcopymaxconcurrency", minimum: 1) ?? S3DriverOptions.DefaultMultipartCopyMaxConcurrency,
            MultipartCopyThresholdSize = GetSize(section, "multipartcopythresholdsize", 0, S3DriverOptions.MaxPartSize)
                ?? S3DriverOptions.DefaultMultipartCopyThresholdSize,
            UserAgent = NonEmpty(section, "useragent"),
        };
        WarnAboutUnhonoured(section, options);
        section.WarnUnknownKeys();
        return new StorageSettings { Driver = StorageDriverKind.S3, ObjectStore = options };
    }

    private static void WarnAboutUnhonoured(ConfigSection section, S3DriverOptions options)
    {
        if (options.AccessKey is null != (options.SecretKey is null))
        {
            section.Warn(options.AccessKey is null ? "secretkey" : "accesskey",
                "accesskey and secretkey go together; with only one, the SDK's default credentials are used (as registry:2 does)");
        }

        if (section.GetString("chunksize") is { } chunk && long.Parse(chunk, CultureInfo.InvariantCulture) > MaxChunkSize)
        {
            section.Warn("chunksize", $"above {MaxChunkSize} bytes; {MaxChunkSize} is used, since Berth holds one part per upload in memory");
        }

        if (section.GetString("objectacl") is { } acl && !string.Equals(acl, "private", StringComparison.Ordinal))
        {
            section.Warn("objectacl", $"'{acl}' is not applied: Berth sends no ACL, so objects get the bucket's default (private unless the bucket says otherwise)");
        }

        foreach (var (key, reason) in Unsupported)
        {
            if (section.Has(key))
            {
                section.Warn(key, "not implemented by Berth; ignored: " + reason);
            }
        }
    }

    private static string? BindStorageClass(ConfigSection section)
    {
        var index = section.GetChoice("storageclass", StorageClasses);
        return index switch
        {
            null => "STANDARD",
            0 => null,
            _ => StorageClasses[index.Value],
        };
    }

    /// <summary>A size in bytes within registry:2's limits for the key; null when missing.</summary>
    private static long? GetSize(ConfigSection section, string key, long minimum, long maximum)
    {
        var text = section.GetString(key);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new ConfigurationException(section.KeyPath(key), $"expected a whole number of bytes from {minimum} to {maximum}, got '{text}'");
    }

    private static string? NonEmpty(ConfigSection section, string key) => section.GetString(key) is { Length: > 0 } value ? value : null;
}
