using System.Text;
using Berth.Storage.Drivers;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Drivers;

/// <summary>
/// The contract every <see cref="IStorageDriver"/> keeps, whatever it stores bytes in. A new driver gets a
/// two-line subclass; everything the stores rely on is proven here, not in each store test.
/// </summary>
public abstract partial class StorageDriverConformanceTests
{
    private IStorageDriver? _driver;

    protected IStorageDriver Driver => _driver ??= CreateDriver();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract IStorageDriver CreateDriver();

    protected static StoragePath P(string path) => StoragePath.Parse(path);

    protected Task WriteAsync(string path, string content) => Driver.WriteAllAsync(P(path), Encoding.UTF8.GetBytes(content), Ct);

    protected async Task<string?> ReadAsync(string path) =>
        await Driver.ReadAllAsync(P(path), Ct) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    [Fact]
    public async Task Stat_File_ReturnsFileWithSize()
    {
        await WriteAsync("a/b/file", "12345");

        var entry = await Driver.StatAsync(P("a/b/file"), Ct);

        Assert.NotNull(entry);
        Assert.False(entry.IsDirectory);
        Assert.Equal(5, entry.Size);
        Assert.Equal(P("a/b/file"), entry.Path);
    }

    [Fact]
    public async Task Stat_Folder_ReturnsDirectory()
    {
        await WriteAsync("a/b/file", "x");

        var entry = await Driver.StatAsync(P("a/b"), Ct);

        Assert.NotNull(entry);
        Assert.True(entry.IsDirectory);
    }

    [Fact]
    public async Task Stat_Missing_ReturnsNull()
    {
        await WriteAsync("a/file", "x");

        Assert.Null(await Driver.StatAsync(P("a/other"), Ct));
        Assert.Null(await Driver.StatAsync(P("nowhere/at/all"), Ct));
        Assert.Null(await Driver.StatAsync(P("a/file/below-a-file"), Ct));
    }

    [Fact]
    public async Task OpenRead_AtOffset_ReturnsTheRest()
    {
        await WriteAsync("file", "0123456789");

        await using var stream = await Driver.OpenReadAsync(P("file"), 4, Ct);

        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        Assert.Equal("456789", await reader.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task OpenRead_Missing_ReturnsNull()
    {
        Assert.Null(await Driver.OpenReadAsync(P("missing/file"), 0, Ct));
    }

    [Fact]
    public async Task ReadAndOpen_AFolder_AreAbsentNotAnError()
    {
        await WriteAsync("folder/file", "x");

        Assert.Null(await Driver.ReadAllAsync(P("folder"), Ct));
        Assert.Null(await Driver.OpenReadAsync(P("folder"), 0, Ct));
    }

    [Fact]
    public async Task ReadAll_Missing_ReturnsNull()
    {
        await WriteAsync("a/file", "x");

        Assert.Null(await Driver.ReadAllAsync(P("a/missing"), Ct));
        Assert.Null(await Driver.ReadAllAsync(P("b/missing"), Ct));
    }

    [Fact]
    public async Task WriteAll_NestedPath_CreatesFolders()
    {
        await WriteAsync("one/two/three/file", "deep");

        Assert.Equal("deep", await ReadAsync("one/two/three/file"));
        Assert.True((await Driver.StatAsync(P("one/two"), Ct))!.IsDirectory);
    }

    [Fact]
    public async Task WriteAll_Existing_ReplacesWholeContent()
    {
        await WriteAsync("file", "a long first content");

        await WriteAsync("file", "short");

        // Replaced, not overwritten in place: no tail of the longer old content survives.
        Assert.Equal("short", await ReadAsync("file"));
        Assert.Equal(5, (await Driver.StatAsync(P("file"), Ct))!.Size);
    }

    [Fact]
    public async Task WriteAll_Empty_CreatesEmptyFile()
    {
        await Driver.WriteAllAsync(P("empty"), ReadOnlyMemory<byte>.Empty, Ct);

        var content = await Driver.ReadAllAsync(P("empty"), Ct);
        Assert.NotNull(content);
        Assert.Empty(content);
        Assert.Equal(0, (await Driver.StatAsync(P("empty"), Ct))!.Size);
    }

    [Fact]
    public async Task List_Folder_ReturnsFilesAndFoldersOneLevelDeep()
    {
        await WriteAsync("dir/file1", "abc");
        await WriteAsync("dir/sub/file2", "x");
        await WriteAsync("dir/sub/deeper/file3", "x");
        await WriteAsync("dirt/file", "a sibling with the same prefix");

        var entries = await ListAsync("dir");

        Assert.Equal(["dir/file1", "dir/sub"], entries.Select(e => e.Path.Value).Order(StringComparer.Ordinal));
        var file = entries.Single(e => e.Path.Name == "file1");
        Assert.False(file.IsDirectory);
        Assert.Equal(3, file.Size);
        Assert.True(entries.Single(e => e.Path.Name == "sub").IsDirectory);
    }

    [Fact]
    public async Task List_Root_ReturnsTopLevelEntries()
    {
        await WriteAsync("top/file", "x");
        await WriteAsync("file", "x");

        var names = (await ListAsync(StoragePath.Root)).Select(e => e.Path.Value).Order(StringComparer.Ordinal);

        Assert.Equal(["file", "top"], names);
    }

    [Fact]
    public async Task List_MissingOrEmptiedFolderOrFile_ReturnsNothing()
    {
        await WriteAsync("a/b/file", "x");
        await Driver.DeleteAsync(P("a/b/file"), Ct);
        await WriteAsync("plain", "x");

        Assert.Empty(await ListAsync("a/b"));
        Assert.Empty(await ListAsync("missing/folder"));
        Assert.Empty(await ListAsync("plain"));
    }

    [Fact]
    public async Task Move_ToExistingFile_ReplacesItAndRemovesSource()
    {
        await WriteAsync("from/file", "new");
        await WriteAsync("to/file", "old content");

        await Driver.MoveAsync(P("from/file"), P("to/file"), Ct);

        Assert.Equal("new", await ReadAsync("to/file"));
        Assert.Null(await Driver.StatAsync(P("from/file"), Ct));
    }

    [Fact]
    public async Task Move_ToNewFolder_CreatesFolders()
    {
        await WriteAsync("from", "content");

        await Driver.MoveAsync(P("from"), P("x/y/z/to"), Ct);

        Assert.Equal("content", await ReadAsync("x/y/z/to"));
        Assert.Null(await ReadAsync("from"));
    }

    [Fact]
    public async Task Delete_File_RemovesOnlyThatFile()
    {
        await WriteAsync("dir/a", "x");
        await WriteAsync("dir/b", "y");

        await Driver.DeleteAsync(P("dir/a"), Ct);

        Assert.Null(await Driver.StatAsync(P("dir/a"), Ct));
        Assert.Equal("y", await ReadAsync("dir/b"));
    }

    [Fact]
    public async Task Delete_FolderTree_RemovesEverythingBelowAndNothingBeside()
    {
        await WriteAsync("dir/a", "x");
        await WriteAsync("dir/sub/b", "x");
        await WriteAsync("dir/sub/deep/c", "x");
        await WriteAsync("dirt/keep", "a sibling with the same prefix");

        await Driver.DeleteAsync(P("dir"), Ct);

        Assert.Null(await Driver.StatAsync(P("dir"), Ct));
        Assert.Null(await Driver.StatAsync(P("dir/sub/deep/c"), Ct));
        Assert.Equal("a sibling with the same prefix", await ReadAsync("dirt/keep"));
    }

    [Fact]
    public async Task Delete_Missing_DoesNothing()
    {
        await WriteAsync("keep", "x");

        await Driver.DeleteAsync(P("missing"), Ct);
        await Driver.DeleteAsync(P("missing/folder/file"), Ct);

        Assert.Equal("x", await ReadAsync("keep"));
    }

    [Fact]
    public async Task Writer_LargeContent_RoundTripsByteForByte()
    {
        var content = TestContent.Random(5 * 1024 * 1024 + 17, seed: 1);
        await using (var writer = await Driver.OpenWriteAsync(P("big/data"), append: false, Ct))
        {
            for (var offset = 0; offset < content.Length; offset += 100_000)
            {
                await writer.WriteAsync(content.AsMemory(offset, Math.Min(100_000, content.Length - offset)), Ct);
            }

            await writer.CommitAsync(Ct);
        }

        await using var stream = await Driver.OpenReadAsync(P("big/data"), 0, Ct);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy, Ct);
        Assert.True(content.AsSpan().SequenceEqual(copy.ToArray()));
        Assert.Equal(content.Length, (await Driver.StatAsync(P("big/data"), Ct))!.Size);
    }

    protected async Task<List<StorageEntry>> ListAsync(string path) => await ListAsync(P(path));

    protected async Task<List<StorageEntry>> ListAsync(StoragePath path)
    {
        var entries = new List<StorageEntry>();
        await foreach (var entry in Driver.ListAsync(path, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }
}
