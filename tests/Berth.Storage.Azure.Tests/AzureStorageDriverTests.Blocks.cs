using Berth.Storage.Drivers;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Azure.Tests;

/// <summary>What the Azure driver adds to the contract: writes in blocks, appends that keep committed blocks, bounded memory.</summary>
public sealed partial class AzureStorageDriverTests
{
    private const int MiB = 1 << 20;

    private AzureStorageOptions? _options;

    private AzureStorageOptions Options => _options ??= azurite.Options();

    /// <summary>The container the test's driver writes into, read with the SDK itself to check what the driver did.</summary>
    private BlobContainerClient Container => new(azurite.Azurite.ConnectionString, Options.Container);

    [Fact]
    public async Task Writer_40MiB_IsStagedInBoundedBlocks()
    {
        var driver = Options.Create();
        var content = TestContent.Random(40 * MiB + 123, seed: 40);
        await using (var writer = await driver.OpenWriteAsync(P("layers/big"), append: false, Ct))
        {
            for (var offset = 0; offset < content.Length; offset += MiB)
            {
                await writer.WriteAsync(content.AsMemory(offset, Math.Min(MiB, content.Length - offset)), Ct);
            }

            await writer.CommitAsync(Ct);
        }

        BlockList blocks = await Container.GetBlockBlobClient("layers/big").GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct);
        Assert.Equal(6, blocks.CommittedBlocks.Count());
        Assert.All(blocks.CommittedBlocks, block => Assert.True(block.SizeLong <= AzureBlobWriter.BlockSize));
        Assert.Equal(content, await driver.ReadAllAsync(P("layers/big"), Ct));
    }

    [Fact]
    public async Task Writer_AppendToBlockedBlob_KeepsCommittedBlocksAndAddsNewBytes()
    {
        var driver = Options.Create();
        var first = TestContent.Random(9 * MiB, seed: 41);
        var second = TestContent.Random(3 * MiB + 7, seed: 42);
        await WriteInWriterAsync(driver, "_uploads/u/data", first, append: true);
        BlockList before = await Container.GetBlockBlobClient("_uploads/u/data").GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct);

        await WriteInWriterAsync(driver, "_uploads/u/data", second, append: true);

        BlockList after = await Container.GetBlockBlobClient("_uploads/u/data").GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct);
        Assert.Equal(before.CommittedBlocks.Select(b => b.Name), after.CommittedBlocks.Take(before.CommittedBlocks.Count()).Select(b => b.Name));
        byte[] expected = [.. first, .. second];
        Assert.Equal(expected, await driver.ReadAllAsync(P("_uploads/u/data"), Ct));
    }

    [Fact]
    public async Task Writer_AppendOfManyBlocksDisposedWithoutCommit_LeavesOldContentAndLength()
    {
        var driver = Options.Create();
        var old = TestContent.Random(MiB + 5, seed: 43);
        await WriteInWriterAsync(driver, "_uploads/u/data", old, append: true);

        await using (var writer = await driver.OpenWriteAsync(P("_uploads/u/data"), append: true, Ct))
        {
            // More than two blocks: staged on the blob, never committed.
            await writer.WriteAsync(TestContent.Random(2 * AzureBlobWriter.BlockSize + 1, seed: 44), Ct);
            Assert.Equal(old.Length + 2L * AzureBlobWriter.BlockSize + 1, writer.Size);
        }

        Assert.Equal(old.Length, (await driver.StatAsync(P("_uploads/u/data"), Ct))!.Size);
        Assert.Equal(old, await driver.ReadAllAsync(P("_uploads/u/data"), Ct));
    }

    [Fact]
    public async Task Delete_FolderOfManyBlobs_RemovesEveryOne()
    {
        var driver = Options.Create();
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), Ct, async (i, ct) =>
            await driver.WriteAllAsync(P($"repo/_layers/sha256/{i % 7}/{i}/link"), "x"u8.ToArray(), ct));
        await WriteAsync("repository/keep", "sibling");

        await driver.DeleteAsync(P("repo"), Ct);

        Assert.Null(await driver.StatAsync(P("repo"), Ct));
        Assert.Empty(await Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "repo/", Ct).ToListAsync(Ct));
        Assert.Equal("sibling", await ReadAsync("repository/keep"));
    }

    [Fact]
    public async Task ReadUrl_SharedKey_DownloadsWithPlainHttpAndHonoursRange()
    {
        var content = TestContent.Random(100_000, seed: 45);
        await Driver.WriteAllAsync(P("blobs/data"), content, Ct);

        var url = await Driver.ReadUrlAsync(P("blobs/data"), Ct);

        Assert.NotNull(url);
        Assert.Contains("sp=r", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url, Ct));
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new(10, 19) } };
        using var partial = await http.SendAsync(request, Ct);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(content[10..20], await partial.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Writer_200MiB_AllocatesFarLessThanTheLayer()
    {
        var driver = Options.Create();
        const long size = 200L * MiB;
        var chunk = TestContent.Random(MiB, seed: 46);
        using var written = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await using (var writer = await driver.OpenWriteAsync(P("layers/huge"), append: false, Ct))
        {
            for (long offset = 0; offset < size; offset += MiB)
            {
                chunk[0] = (byte)(offset / MiB);
                written.AppendData(chunk);
                await writer.WriteAsync(chunk, Ct);
            }

            await writer.CommitAsync(Ct);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        // A writer that buffered the layer would allocate at least its 200 MiB (a growing MemoryStream about twice
        // that); one pooled block and the SDK's per-request objects stay far below.
        Assert.True(allocated < 64L * MiB, $"writing 200 MiB allocated {allocated / MiB} MiB");
        Assert.Equal(size, (await driver.StatAsync(P("layers/huge"), Ct))!.Size);
        await using var stream = await driver.OpenReadAsync(P("layers/huge"), 0, Ct);
        Assert.Equal(written.GetHashAndReset(), await SHA256.HashDataAsync(stream!, Ct));
    }

    [Fact]
    public async Task Write_RootDirectory_NamesBlobsAsRegistry3()
    {
        var options = azurite.Options(rootDirectory: "/base/dir/");
        var driver = options.Create();

        await driver.WriteAllAsync(P("docker/registry/v2/repositories/a/_layers/sha256/ab/link"), "x"u8.ToArray(), Ct);

        var container = new BlobContainerClient(azurite.Azurite.ConnectionString, options.Container);
        var names = await container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, Ct).Select(b => b.Name).ToListAsync(Ct);
        Assert.Equal(["base/dir/docker/registry/v2/repositories/a/_layers/sha256/ab/link"], names);
        Assert.Equal(["docker"], (await ListAsyncOf(driver, StoragePath.Root)).Select(e => e.Path.Value));
    }

    private static async Task WriteInWriterAsync(IStorageDriver driver, string path, byte[] content, bool append)
    {
        await using var writer = await driver.OpenWriteAsync(P(path), append, Ct);
        await writer.WriteAsync(content, Ct);
        await writer.CommitAsync(Ct);
    }

    private static async Task<List<StorageEntry>> ListAsyncOf(IStorageDriver driver, StoragePath path)
    {
        var entries = new List<StorageEntry>();
        await foreach (var entry in driver.ListAsync(path, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }
}
