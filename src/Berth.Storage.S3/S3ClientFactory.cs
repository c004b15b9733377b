using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Berth.Storage.S3;

/// <summary>Makes the SDK client from <see cref="S3DriverOptions"/>, with the settings S3-compatible servers need.</summary>
internal static class S3ClientFactory
{
    /// <summary>What requests are signed for when only an endpoint is given: S3-compatible servers accept any region.</summary>
    private const string FallbackRegion = "us-east-1";

    public static AmazonS3Client Create(S3DriverOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            UseHttp = !options.Secure,
            // Explicit figures instead of the SDK's (no connect timeout, 100 s requests, 4 retries in standard mode), so
            // that a dead endpoint is a 503 within seconds, never a hung request.
            Timeout = options.RequestTimeout,
            ConnectTimeout = options.ConnectTimeout,
            MaxErrorRetry = options.MaxErrorRetry,
            RetryMode = RequestRetryMode.Standard,
            // The SDK's default since 3.7.400 adds CRC checksums and aws-chunked bodies that radosgw and other
            // S3-compatible servers reject (XAmzContentSHA256Mismatch) or store corrupted; only send them where S3 requires.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.RegionEndpoint is { Length: > 0 } endpoint)
        {
            config.ServiceURL = EndpointUrl(endpoint, options.Secure);
            config.AuthenticationRegion = options.Region is { Length: > 0 } region ? region : FallbackRegion;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region ?? FallbackRegion);
        }

        if (options.UserAgent is { Length: > 0 } userAgent)
        {
            config.ClientAppId = userAgent;
        }

        if (options.SkipVerify)
        {
            config.HttpClientFactory = new InsecureHttpClientFactory();
        }

        return options.AccessKey is { Length: > 0 } accessKey && options.SecretKey is { Length: > 0 } secretKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config)
            : new AmazonS3Client(config);
    }

    /// <summary>registry:2 takes <c>host:port</c> or a URL; a bare host gets the scheme <c>secure</c> asks for.</summary>
    internal static string EndpointUrl(string endpoint, bool secure) =>
        endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : (secure ? "https://" : "http://") + endpoint;
}
