using System.Buffers;
using System.Security.Cryptography;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Gc;
using Berth.Storage.Layout;

namespace Berth.Storage.Check;

/// <summary>
/// Hashes every blob under <c>blobs/&lt;alg&gt;/&lt;2 hex&gt;/&lt;hex&gt;/data</c> with its own algorithm (sha256 or
/// sha512), streamed through one pooled buffer: one blob at a time, never one whole in memory, each once however many
/// repositories link it. Entries that are no digest, or sit under the wrong prefix, are not blobs to registry:2 and are
/// skipped, as is a folder without data.
/// </summary>
internal sealed class BlobVerifier(IStorageDriver driver, IIntegrityCheckObserver observer, int progressInterval)
{
    private const int BufferSize = 1024 * 1024;

    public long Blobs { get; private set; }

    public long Bytes { get; private set; }

    public async Task<IReadOnlyList<IntegrityProblem>> VerifyAllAsync(CancellationToken cancellationToken)
    {
        var corrupt = new List<IntegrityProblem>();
        await foreach (var algorithm in driver.ListAsync(GcPaths.Blobs, cancellationToken))
        {
            await foreach (var prefix in driver.ListAsync(algorithm.Path, cancellationToken))
            {
                await foreach (var entry in driver.ListAsync(prefix.Path, cancellationToken))
                {
                    if (Digest.TryParse(algorithm.Path.Name + ":" + entry.Path.Name, out var digest) && prefix.Path.Name == digest.Hex[..2]
                        && await VerifyAsync(digest, cancellationToken) is { } problem)
                    {
                        corrupt.Add(problem);
                    }
                }
            }
        }

        return corrupt;
    }

    /// <returns>The problem when the content does not hash to its digest; null when it does or there is no data.</returns>
    private async Task<IntegrityProblem?> VerifyAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = RegistryPaths.BlobData(digest);
        await using var stream = await driver.OpenReadAsync(path, 0, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(digest.HashAlgorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Blobs++;
        Bytes += length;
        if (progressInterval > 0 && Blobs % progressInterval == 0)
        {
            await observer.ProgressAsync(Blobs, Bytes, cancellationToken);
        }

        var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
        return actual == digest
            ? null
            : new IntegrityProblem(null, IntegrityProblemKind.CorruptBlob, path,
                $"blob {digest} ({length} bytes) hashes to {actual}: its content is damaged");
    }
}
