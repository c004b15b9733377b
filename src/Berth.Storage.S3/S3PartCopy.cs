using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>
/// Server-side copies in parts (UploadPartCopy): the bytes move inside the object store, never through Berth. Used
/// for moves above <c>multipartcopythresholdsize</c> and for the existing bytes of an append.
/// </summary>
internal static class S3PartCopy
{
    /// <summary>Copies a whole object to <paramref name="destinationKey"/> as one multipart upload, published at the end.</summary>
    public static async Task CopyObjectAsync(S3Bucket bucket, string sourceKey, long size, string? sourceETag, string destinationKey,
        CancellationToken cancellationToken)
    {
        var uploadId = await bucket.StartMultipartAsync(destinationKey, cancellationToken);
        try
        {
            var parts = await CopyPartsAsync(bucket, sourceKey, size, sourceETag, destinationKey, uploadId, cancellationToken);
            await bucket.CompleteMultipartAsync(destinationKey, uploadId, parts, cancellationToken);
        }
        catch
        {
            await bucket.AbortMultipartQuietlyAsync(destinationKey, uploadId);
            throw;
        }
    }

    /// <summary>
    /// Copies the object's bytes as the first parts (numbered from 1) of the upload <paramref name="uploadId"/>, up to
    /// <c>multipartcopymaxconcurrency</c> parts at once. <paramref name="sourceETag"/>, when given, makes the copy fail
    /// rather than mix in a newer version of the source that appeared meanwhile.
    /// </summary>
    public static async Task<List<PartETag>> CopyPartsAsync(S3Bucket bucket, string sourceKey, long size, string? sourceETag,
        string destinationKey, string uploadId, CancellationToken cancellationToken)
    {
        var ranges = PartRanges(size, bucket.Options.MultipartCopyChunkSize);
        var parts = new PartETag[ranges.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = bucket.Options.MultipartCopyMaxConcurrency,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, ranges.Count), parallel, async (index, ct) =>
        {
            var (first, last) = ranges[index];
            var request = new CopyPartRequest
            {
                SourceBucket = bucket.Name,
                SourceKey = sourceKey,
                DestinationBucket = bucket.Name,
                DestinationKey = destinationKey,
                UploadId = uploadId,
                PartNumber = index + 1,
                FirstByte = first,
                LastByte = last,
                ETagToMatch = sourceETag is null ? null : [sourceETag],
            };
            var response = await S3Bucket.CallAsync("UploadPartCopy", sourceKey, c => bucket.Client.CopyPartAsync(request, c), ct);
            parts[index] = new PartETag(index + 1, response.ETag);
        });
        return [.. parts];
    }

    /// <summary>
    /// Inclusive byte ranges of at most <paramref name="chunkSize"/>; a tail below S3's 5 MiB part minimum joins the
    /// part before it, because more parts may follow the copied ones (an append) and only the last part may be small.
    /// </summary>
    internal static List<(long First, long Last)> PartRanges(long size, long chunkSize)
    {
        var ranges = new List<(long First, long Last)>();
        for (long first = 0; first < size; first += chunkSize)
        {
            ranges.Add((first, Math.Min(first + chunkSize, size) - 1));
        }

        if (ranges.Count > 1 && ranges[^1].Last - ranges[^1].First + 1 < S3DriverOptions.MinPartSize
            && ranges[^1].Last - ranges[^2].First + 1 <= S3DriverOptions.MaxPartSize)
        {
            ranges[^2] = (ranges[^2].First, ranges[^1].Last);
            ranges.RemoveAt(ranges.Count - 1);
        }

        return ranges;
    }
}
