using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Storage.Drivers;

namespace Berth.Storage.S3;

/// <summary>
/// Storage in an S3 bucket with registry:2's s3 layout, so registry:2 and Berth read each other's data on the same
/// bucket and <c>rootdirectory</c>: a path's key is the root directory (trimmed of slashes) then the path; there are
/// no folder objects, a folder exists while a key lies below it. Folders have no time on S3, so theirs is
/// <see cref="DateTimeOffset.MinValue"/>. Every failure of the store is a
/// <see cref="Core.Errors.ServiceUnavailableException"/>; a missing key is null, as the contract says.
/// </summary>
internal sealed class S3StorageDriver : IStorageDriver, IDisposable
{
    private const int ListPageSize = 1000;
    private const char Delimiter = '/';

    private readonly S3Bucket _bucket;
    private readonly string _rootPrefix;

    public S3StorageDriver(S3DriverOptions options, IAmazonS3 client)
    {
        _bucket = new S3Bucket(client, options);
        // registry:2: TrimLeft(TrimRight(rootdirectory, "/") + path, "/"), paths starting with "/".
        var root = options.RootDirectory.TrimEnd(Delimiter).TrimStart(Delimiter);
        _rootPrefix = root.Length == 0 ? "" : root + Delimiter;
        Buffers = new PartBufferPool(options.ChunkSize, maxIdle: Environment.ProcessorCount * 2);
    }

    /// <summary>The writers' part buffers (visible to tests, which check that a writer holds one part at most).</summary>
    internal PartBufferPool Buffers { get; }

    public async Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (!path.IsRoot && await _bucket.HeadAsync(Key(path), cancellationToken) is { } file)
        {
            return new StorageEntry(path, false, file.ContentLength, file.LastModified ?? DateTimeOffset.MinValue);
        }

        var page = await ListPageAsync(FolderPrefix(path), delimiter: false, maxKeys: 1, continuation: null, cancellationToken);
        return page.S3Objects is { Count: > 0 } ? new StorageEntry(path, true, 0, DateTimeOffset.MinValue) : null;
    }

    public async Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken)
    {
        var key = Key(path);
        var request = new GetObjectRequest { BucketName = _bucket.Name, Key = key };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await S3Bucket.CallOrMissingAsync("GET", key, ct => _bucket.Client.GetObjectAsync(request, ct), cancellationToken);
            return response is null ? null : new S3ReadStream(response);
        }
        catch (Core.Errors.ServiceUnavailableException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "InvalidRange" })
        {
            // At or past the end, as registry:2 answers it: nothing more to read.
            return Stream.Null;
        }
    }

    public async Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var key = Key(path);
        var request = new GetObjectRequest { BucketName = _bucket.Name, Key = key };
        using var response = await S3Bucket.CallOrMissingAsync("GET", key, ct => _bucket.Client.GetObjectAsync(request, ct), cancellationToken);
        if (response is null)
        {
            return null;
        }

        return await S3Bucket.CallAsync("GET", key, async ct =>
        {
            using var content = new MemoryStream(checked((int)Math.Max(response.ContentLength, 0)));
            await response.ResponseStream.CopyToAsync(content, ct);
            return content.ToArray();
        }, cancellationToken);
    }

    public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        return PutAndDisposeAsync(Key(path), stream, cancellationToken);
    }

    public async Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) =>
        await S3Writer.OpenAsync(_bucket, Buffers, Key(path), append, cancellationToken);

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = FolderPrefix(directory);
        string? continuation = null;
        do
        {
            var page = await ListPageAsync(prefix, delimiter: true, ListPageSize, continuation, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                var name = item.Key[prefix.Length..];
                if (StoragePath.IsValidSegment(name))
                {
                    yield return new StorageEntry(directory.Append(name), false, item.Size ?? 0, item.LastModified ?? DateTimeOffset.MinValue);
                }
            }

            foreach (var folder in page.CommonPrefixes ?? [])
            {
                var name = folder[prefix.Length..].TrimEnd(Delimiter);
                if (StoragePath.IsValidSegment(name))
                {
                    yield return new StorageEntry(directory.Append(name), true, 0, DateTimeOffset.MinValue);
                }
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// A server-side copy (one CopyObject, or UploadPartCopy parts above <c>multipartcopythresholdsize</c>), then the
    /// source is deleted. The destination appears whole when the copy completes; S3 has no rename.
    /// </summary>
    public async Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var sourceKey = Key(source);
        var existing = await _bucket.HeadAsync(sourceKey, cancellationToken)
            ?? throw new FileNotFoundException("no such file in storage", source.ToString());
        if (existing.ContentLength <= _bucket.Options.MultipartCopyThresholdSize)
        {
            await _bucket.CopyAsync(sourceKey, Key(destination), cancellationToken);
        }
        else
        {
            await S3PartCopy.CopyObjectAsync(_bucket, sourceKey, existing.ContentLength, existing.ETag, Key(destination), cancellationToken);
        }

        await _bucket.DeleteAsync(sourceKey, cancellationToken);
    }

    /// <summary>The file, and every key below the path as a folder, in DeleteObjects batches of 1000.</summary>
    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var prefix = FolderPrefix(path);
        ListObjectsV2Response page;
        do
        {
            // Always the first page: the keys just deleted are gone from it.
            page = await ListPageAsync(prefix, delimiter: false, ListPageSize, continuation: null, cancellationToken);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                await DeleteBatchAsync(prefix, objects, cancellationToken);
            }
        }
        while (page.IsTruncated == true);

        if (!path.IsRoot)
        {
            await _bucket.DeleteAsync(Key(path), cancellationToken);
        }
    }

    public string? LocalPath(StoragePath path) => null;

    /// <summary>A presigned GET, valid for 20 minutes as registry:2's are; it does not check that the key exists.</summary>
    public async ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var key = Key(path);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket.Name,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + S3DriverOptions.ReadUrlLifetime,
            Protocol = _bucket.Options.Secure && !IsPlainHttpEndpoint ? Protocol.HTTPS : Protocol.HTTP,
        };
        var url = await S3Bucket.CallAsync("presign", key, _ => _bucket.Client.GetPreSignedURLAsync(request), cancellationToken);
        return new Uri(url);
    }

    public void Dispose() => _bucket.Dispose();

    private bool IsPlainHttpEndpoint => _bucket.Options.RegionEndpoint?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;

    private string Key(StoragePath path) => path.IsRoot ? _rootPrefix.TrimEnd(Delimiter) : _rootPrefix + path.Value;

    private string FolderPrefix(StoragePath path) => path.IsRoot ? _rootPrefix : _rootPrefix + path.Value + Delimiter;

    private async Task PutAndDisposeAsync(string key, MemoryStream content, CancellationToken cancellationToken)
    {
        await using (content)
        {
            await _bucket.PutAsync(key, content, cancellationToken);
        }
    }

    private Task<ListObjectsV2Response> ListPageAsync(string prefix, bool delimiter, int maxKeys, string? continuation,
        CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = _bucket.Name,
            Prefix = prefix,
            Delimiter = delimiter ? Delimiter.ToString() : null,
            MaxKeys = maxKeys,
            ContinuationToken = continuation,
        };
        return S3Bucket.CallAsync("LIST", prefix, ct => _bucket.Client.ListObjectsV2Async(request, ct), cancellationToken);
    }

    private async Task DeleteBatchAsync(string prefix, List<S3Object> objects, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectsRequest
        {
            BucketName = _bucket.Name,
            Objects = objects.Select(o => new KeyVersion { Key = o.Key }).ToList(),
            Quiet = true,
        };
        var response = await S3Bucket.CallAsync("DeleteObjects", prefix, ct => _bucket.Client.DeleteObjectsAsync(request, ct), cancellationToken);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new Core.Errors.ServiceUnavailableException(S3Errors.Service,
                $"DeleteObjects {prefix}: {errors.Count} keys not deleted, first {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
        }
    }
}
