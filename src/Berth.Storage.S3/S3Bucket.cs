using Amazon.S3;
using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>
/// The SDK calls the driver and its writers share: every call goes through <see cref="CallAsync{T}"/>, so no SDK
/// exception leaves the driver unmapped, and every object written carries the configured encryption and class.
/// </summary>
internal sealed class S3Bucket(IAmazonS3 client, S3DriverOptions options) : IDisposable
{
    /// <summary>registry:2's content type for everything it stores.</summary>
    private const string ContentType = "application/octet-stream";

    public IAmazonS3 Client { get; } = client;

    public S3DriverOptions Options { get; } = options;

    public string Name => Options.Bucket;

    /// <summary>Runs one SDK call; any failure of the store becomes <see cref="Core.Errors.ServiceUnavailableException"/>.</summary>
    public static async Task<T> CallAsync<T>(string operation, string key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception e) when (S3Errors.IsStoreFailure(e, cancellationToken))
        {
            throw S3Errors.Unavailable(operation, key, e);
        }
    }

    /// <summary>As <see cref="CallAsync{T}"/>, with a missing key answered null.</summary>
    public static async Task<T?> CallOrMissingAsync<T>(string operation, string key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception e) when (S3Errors.IsMissingKey(e))
        {
            return null;
        }
        catch (Exception e) when (S3Errors.IsStoreFailure(e, cancellationToken))
        {
            throw S3Errors.Unavailable(operation, key, e);
        }
    }

    /// <summary>The object's size and ETag, or null when there is no such key.</summary>
    public Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken) =>
        CallOrMissingAsync("HEAD", key, ct => Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Name, Key = key }, ct),
            cancellationToken);

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Name,
            Key = key,
            InputStream = content,
            ContentType = ContentType,
            // radosgw refuses aws-chunked bodies signed this way (XAmzContentSHA256Mismatch).
            UseChunkEncoding = false,
            ServerSideEncryptionMethod = Encryption,
            ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId,
            StorageClass = StorageClass,
        };
        return CallAsync("PUT", key, ct => Client.PutObjectAsync(request, ct), cancellationToken);
    }

    public async Task<string> StartMultipartAsync(string key, CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest
        {
            BucketName = Name,
            Key = key,
            ContentType = ContentType,
            ServerSideEncryptionMethod = Encryption,
            ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId,
            StorageClass = StorageClass,
        };
        var response = await CallAsync("CreateMultipartUpload", key, ct => Client.InitiateMultipartUploadAsync(request, ct), cancellationToken);
        return response.UploadId;
    }

    public async Task<PartETag> UploadPartAsync(string key, string uploadId, int partNumber, byte[] buffer, int length,
        CancellationToken cancellationToken)
    {
        var request = new UploadPartRequest
        {
            BucketName = Name,
            Key = key,
            UploadId = uploadId,
            PartNumber = partNumber,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            PartSize = length,
            UseChunkEncoding = false,
        };
        var response = await CallAsync("UploadPart", key, ct => Client.UploadPartAsync(request, ct), cancellationToken);
        return new PartETag(partNumber, response.ETag);
    }

    public Task CompleteMultipartAsync(string key, string uploadId, List<PartETag> parts, CancellationToken cancellationToken)
    {
        var request = new CompleteMultipartUploadRequest { BucketName = Name, Key = key, UploadId = uploadId, PartETags = parts };
        return CallAsync("CompleteMultipartUpload", key, ct => Client.CompleteMultipartUploadAsync(request, ct), cancellationToken);
    }

    /// <summary>
    /// Abandons an upload so its parts are freed. Best effort: a failure here must not hide the failure that led to it,
    /// and an upload left behind costs storage, not correctness (bucket lifecycle rules or a later abort clean it).
    /// </summary>
    public async Task AbortMultipartQuietlyAsync(string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Options.RequestTimeout);
            await Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Name, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (S3Errors.IsStoreFailure(e, CancellationToken.None))
        {
            // Nothing more to do: see above.
        }
    }

    /// <summary>One server-side copy of a whole object (up to 5 GiB), replacing the destination.</summary>
    public Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = Name,
            SourceKey = sourceKey,
            DestinationBucket = Name,
            DestinationKey = destinationKey,
            ServerSideEncryptionMethod = Encryption,
            ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId,
            StorageClass = StorageClass,
        };
        return CallAsync("CopyObject", sourceKey, ct => Client.CopyObjectAsync(request, ct), cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        CallAsync("DELETE", key, ct => Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Name, Key = key }, ct), cancellationToken);

    public void Dispose() => Client.Dispose();

    private ServerSideEncryptionMethod? Encryption => !Options.Encrypt ? null
        : Options.KeyId is { Length: > 0 } ? ServerSideEncryptionMethod.AWSKMS : ServerSideEncryptionMethod.AES256;

    private string? KmsKeyId => Options.Encrypt && Options.KeyId is { Length: > 0 } keyId ? keyId : null;

    private S3StorageClass? StorageClass => Options.StorageClass is { Length: > 0 } name ? S3StorageClass.FindValue(name) : null;
}
