using System.Net;
using System.Net.Http.Headers;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.S3.Tests;

/// <summary>What only an object store does: parts, server-side copies, batch deletes, presigned URLs, the key layout.</summary>
public sealed partial class S3StorageDriverTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Writer_40MiBInPieces_UploadedInPartsAndRoundTrips()
    {
        var driver = NewDriver(shared.Options("parts") with { ChunkSize = SmallChunk });
        var content = TestContent.Random(40 * MiB + 3, seed: 40);

        await using (var writer = await driver.OpenWriteAsync(P("big/data"), append: false, Ct))
        {
            for (var offset = 0; offset < content.Length; offset += MiB)
            {
                await writer.WriteAsync(content.AsMemory(offset, Math.Min(MiB, content.Length - offset)), Ct);
            }

            Assert.Null(await driver.StatAsync(P("big/data"), Ct));
            await writer.CommitAsync(Ct);
        }

        // A multipart object's ETag ends in -<parts>: 40 MiB + 3 bytes in 5 MiB parts is 9.
        Assert.EndsWith("-9\"", (await driver.Bucket.HeadAsync(driver.Key(P("big/data")), Ct))!.ETag, StringComparison.Ordinal);
        Assert.Equal(content, await driver.ReadAllAsync(P("big/data"), Ct));
        Assert.Equal(0, driver.Buffers.Outstanding);
    }

    [Theory]
    [InlineData(6 * MiB + 5, 2 * MiB)]
    [InlineData(3 * MiB, 4 * MiB)]
    public async Task Writer_AppendOverExisting_OldUntouchedUntilCommitThenWhole(int existingSize, int appendedSize)
    {
        var driver = NewDriver(shared.Options("append") with { ChunkSize = SmallChunk });
        var existing = TestContent.Random(existingSize, seed: 1);
        var appended = TestContent.Random(appendedSize, seed: 2);
        await driver.WriteAllAsync(P("_uploads/id/data"), existing, Ct);

        await using (var writer = await driver.OpenWriteAsync(P("_uploads/id/data"), append: true, Ct))
        {
            Assert.Equal(existingSize, writer.Size);
            await writer.WriteAsync(appended, Ct);
            Assert.Equal(existingSize + appendedSize, writer.Size);
            Assert.Equal(existing, await driver.ReadAllAsync(P("_uploads/id/data"), Ct));
            await writer.CommitAsync(Ct);
        }

        byte[] expected = [.. existing, .. appended];
        Assert.Equal(expected, await driver.ReadAllAsync(P("_uploads/id/data"), Ct));
        Assert.Equal(existingSize + appendedSize, (await driver.StatAsync(P("_uploads/id/data"), Ct))!.Size);
    }

    [Fact]
    public async Task Writer_AppendOverLargeDisposedWithoutCommit_KeepsOldObject()
    {
        var driver = NewDriver(shared.Options("append") with { ChunkSize = SmallChunk });
        var existing = TestContent.Random(6 * MiB, seed: 3);
        await driver.WriteAllAsync(P("data"), existing, Ct);

        await using (var writer = await driver.OpenWriteAsync(P("data"), append: true, Ct))
        {
            await writer.WriteAsync(TestContent.Random(6 * MiB, seed: 4), Ct);
        }

        Assert.Equal(existing, await driver.ReadAllAsync(P("data"), Ct));
    }

    [Fact]
    public async Task Move_AboveCopyThreshold_CopiedInPartsServerSide()
    {
        var driver = NewDriver(shared.Options("move") with { MultipartCopyThresholdSize = 5 * MiB, MultipartCopyChunkSize = 5 * MiB });
        var content = TestContent.Random(12 * MiB + 7, seed: 12);
        await driver.WriteAllAsync(P("_uploads/id/data"), content, Ct);

        await driver.MoveAsync(P("_uploads/id/data"), P("blobs/sha256/ab/abcd/data"), Ct);

        Assert.Null(await driver.StatAsync(P("_uploads/id/data"), Ct));
        Assert.Equal(content, await driver.ReadAllAsync(P("blobs/sha256/ab/abcd/data"), Ct));
        // Two copied parts: the 2 MiB tail joins the second 5 MiB part rather than stand below S3's minimum.
        Assert.EndsWith("-2\"", (await driver.Bucket.HeadAsync(driver.Key(P("blobs/sha256/ab/abcd/data")), Ct))!.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Move_MissingSource_ThrowsFileNotFound()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => Driver.MoveAsync(P("missing"), P("to"), Ct));
    }

    [Fact]
    public async Task Delete_FolderOfMoreThan1000Keys_RemovesAllInBatches()
    {
        var names = Enumerable.Range(0, 1105).Select(i => i % 3 == 0 ? $"dir/sub/{i}" : $"dir/{i}").ToList();
        // One driver for all: the suite's Driver property makes its driver (with a fresh root) on first use, not thread-safely.
        var driver = Driver;
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct },
            async (name, ct) => await driver.WriteAllAsync(P(name), "x"u8.ToArray(), ct));
        await WriteAsync("dirt/keep", "beside");
        Assert.Equal(names.Count(n => !n.StartsWith("dir/sub/", StringComparison.Ordinal)) + 1, (await ListAsync("dir")).Count);

        await Driver.DeleteAsync(P("dir"), Ct);

        Assert.Null(await Driver.StatAsync(P("dir"), Ct));
        Assert.Empty(await ListAsync("dir"));
        Assert.Equal("beside", await ReadAsync("dirt/keep"));
    }

    [Fact]
    public async Task ReadUrl_Presigned_ServesTheBytesAndHonoursRange()
    {
        var content = TestContent.Random(MiB, seed: 5);
        await Driver.WriteAllAsync(P("blobs/data"), content, Ct);

        var url = await Driver.ReadUrlAsync(P("blobs/data"), Ct);

        Assert.NotNull(url);
        // 20 minutes, give or take a second or two: the SDK turns the expiry time into seconds on its clock, which it
        // corrects by the skew it saw in the server's Date headers (whole seconds).
        var expires = System.Web.HttpUtility.ParseQueryString(url.Query)["X-Amz-Expires"];
        Assert.InRange(int.Parse(expires!, System.Globalization.CultureInfo.InvariantCulture), 1190, 1210);
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url, Ct));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(100, 199) } };
        using var response = await http.SendAsync(ranged, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task OpenRead_AtOrPastTheEnd_EmptyStream()
    {
        await WriteAsync("file", "0123456789");

        foreach (var offset in new long[] { 10, 11, 1000 })
        {
            await using var stream = await Driver.OpenReadAsync(P("file"), offset, Ct);
            Assert.NotNull(stream);
            Assert.Equal(-1, stream.ReadByte());
        }
    }

    [Fact]
    public async Task Keys_Registry2Layout_RootDirectoryTrimmedThenPath()
    {
        var root = $"layout-{Guid.NewGuid():N}";
        var driver = NewDriver(shared.Options("unused") with { RootDirectory = $"/{root}/registry/" });
        var bucketRoot = NewDriver(shared.Options("unused") with { RootDirectory = "" });
        var blob = P("docker/registry/v2/blobs/sha256/ab/abcd/data");

        await driver.WriteAllAsync(blob, "blob"u8.ToArray(), Ct);

        Assert.Equal($"{root}/registry/docker/registry/v2/blobs/sha256/ab/abcd/data", driver.Key(blob));
        Assert.Equal("blob"u8.ToArray(), await bucketRoot.ReadAllAsync(P($"{root}/registry/docker/registry/v2/blobs/sha256/ab/abcd/data"), Ct));
        var top = Assert.Single(await ListWith(bucketRoot, P(root)));
        Assert.True(top.IsDirectory);
        Assert.Equal(DateTimeOffset.MinValue, (await bucketRoot.StatAsync(P(root), Ct))!.ModifiedAt);
    }

    private static async Task<List<Drivers.StorageEntry>> ListWith(S3StorageDriver driver, Drivers.StoragePath path)
    {
        var entries = new List<Drivers.StorageEntry>();
        await foreach (var entry in driver.ListAsync(path, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }
}
