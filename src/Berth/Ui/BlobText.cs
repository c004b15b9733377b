using Berth.Core.Manifests;
using Berth.Core.Stores;

namespace Berth.Ui;

/// <summary>Reads a small blob whole: an image's config, which the page shows and summarises.</summary>
internal static class BlobText
{
    /// <summary>Configs are kilobytes; anything larger is not one the page would show, and is not read into memory.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <returns>The bytes, or null when the blob is absent or over <see cref="MaxBytes"/>.</returns>
    public static async Task<byte[]?> ReadAsync(IRepository repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (descriptor.Size > MaxBytes || await repository.Blobs.StatAsync(descriptor.Digest, cancellationToken) is not { } blob || blob.Size > MaxBytes)
        {
            return null;
        }

        await using var stream = await repository.Blobs.OpenReadAsync(blob, 0, cancellationToken);
        var bytes = new byte[blob.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }
}
