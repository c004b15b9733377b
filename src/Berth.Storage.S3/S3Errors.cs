using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Berth.Core.Errors;

namespace Berth.Storage.S3;

/// <summary>
/// Turns what the SDK throws into the driver contract: a missing key is absence (the caller returns null), every
/// other failure (refused connection, timeout, 5xx after the SDK's retries, denied access) is
/// <see cref="ServiceUnavailableException"/>, which the HTTP layer answers 503.
/// </summary>
internal static class S3Errors
{
    public const string Service = "s3";

    /// <summary>The key does not exist. Not a missing bucket: that is a broken configuration, not an absent file.</summary>
    public static bool IsMissingKey(Exception e) => e is AmazonS3Exception s3
        && (s3.ErrorCode is "NoSuchKey" or "NotFound" || s3.StatusCode == HttpStatusCode.NotFound && s3.ErrorCode is null or "");

    /// <summary>Whether <paramref name="e"/> is the object store failing, rather than the caller giving up.</summary>
    public static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or IOException => true,
        // The SDK's request timeout surfaces as a cancellation nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    public static ServiceUnavailableException Unavailable(string operation, string key, Exception e) =>
        new(Service, $"{operation} {key}: {Describe(e)}", e);

    private static string Describe(Exception e) => e switch
    {
        AmazonServiceException service => $"{(int)service.StatusCode} {service.ErrorCode} {service.Message}".Trim(),
        OperationCanceledException => "no answer in time",
        _ => e.GetBaseException().Message,
    };
}
