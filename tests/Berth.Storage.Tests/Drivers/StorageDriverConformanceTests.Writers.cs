using System.Text;
using Berth.Storage.Drivers;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Drivers;

/// <summary>Writers: what is published on commit, and what an abandoned writer leaves behind.</summary>
public abstract partial class StorageDriverConformanceTests
{
    [Fact]
    public async Task Writer_NewFileBeforeCommit_IsNotVisible()
    {
        await using var writer = await Driver.OpenWriteAsync(P("dir/new"), append: false, Ct);
        await writer.WriteAsync("partial"u8.ToArray(), Ct);

        Assert.Null(await Driver.StatAsync(P("dir/new"), Ct));
        Assert.Null(await Driver.ReadAllAsync(P("dir/new"), Ct));
    }

    [Fact]
    public async Task Writer_Commit_PublishesContent()
    {
        await using (var writer = await Driver.OpenWriteAsync(P("dir/new"), append: false, Ct))
        {
            await writer.WriteAsync("hello "u8.ToArray(), Ct);
            await writer.WriteAsync("world"u8.ToArray(), Ct);
            Assert.Equal(11, writer.Size);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal("hello world", await ReadAsync("dir/new"));
    }

    [Fact]
    public async Task Writer_NewFileDisposedWithoutCommit_PublishesNothing()
    {
        await using (var writer = await Driver.OpenWriteAsync(P("dir/new"), append: false, Ct))
        {
            await writer.WriteAsync("abandoned"u8.ToArray(), Ct);
        }

        Assert.Null(await Driver.StatAsync(P("dir/new"), Ct));
        Assert.Empty(await ListAsync("dir"));
    }

    [Fact]
    public async Task Writer_ReplacingDisposedWithoutCommit_KeepsOldContent()
    {
        await WriteAsync("file", "old");

        await using (var writer = await Driver.OpenWriteAsync(P("file"), append: false, Ct))
        {
            await writer.WriteAsync("new and abandoned"u8.ToArray(), Ct);
        }

        Assert.Equal("old", await ReadAsync("file"));
    }

    [Fact]
    public async Task Writer_AppendCommit_AddsToTheEnd()
    {
        await WriteAsync("file", "start-");

        await using (var writer = await Driver.OpenWriteAsync(P("file"), append: true, Ct))
        {
            Assert.Equal(6, writer.Size);
            await writer.WriteAsync("more"u8.ToArray(), Ct);
            Assert.Equal(10, writer.Size);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal("start-more", await ReadAsync("file"));
    }

    [Fact]
    public async Task Writer_AppendDisposedWithoutCommit_RestoresLength()
    {
        await WriteAsync("file", "kept");

        await using (var writer = await Driver.OpenWriteAsync(P("file"), append: true, Ct))
        {
            await writer.WriteAsync(TestContent.Random(300_000, seed: 2), Ct);
        }

        Assert.Equal("kept", await ReadAsync("file"));
        Assert.Equal(4, (await Driver.StatAsync(P("file"), Ct))!.Size);
    }

    [Fact]
    public async Task Writer_AppendToMissing_CreatesFile()
    {
        await using (var writer = await Driver.OpenWriteAsync(P("new/folder/file"), append: true, Ct))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync("first"u8.ToArray(), Ct);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal("first", await ReadAsync("new/folder/file"));
    }

    [Fact]
    public async Task Writer_InterleavedWritersToOnePath_LastCommitWinsWhole()
    {
        var contents = Enumerable.Range(0, 5).Select(i => TestContent.Random(200_000, seed: 10 + i)).ToArray();
        var writers = new List<IStorageWriter>();
        foreach (var _ in contents)
        {
            writers.Add(await Driver.OpenWriteAsync(P("shared/file"), append: false, Ct));
        }

        // Every writer gets a piece in turn, so their bytes interleave in time as concurrent uploads would.
        for (var offset = 0; offset < 200_000; offset += 50_000)
        {
            for (var i = 0; i < writers.Count; i++)
            {
                await writers[i].WriteAsync(contents[i].AsMemory(offset, 50_000), Ct);
            }
        }

        foreach (var writer in writers)
        {
            await writer.CommitAsync(Ct);
            await writer.DisposeAsync();
        }

        Assert.Equal(contents[^1], await Driver.ReadAllAsync(P("shared/file"), Ct));
    }

    [Fact]
    public async Task Writer_ParallelWritersToOnePath_LeaveOneCompleteContent()
    {
        var contents = Enumerable.Range(0, 8).Select(i => TestContent.Random(300_000, seed: 20 + i)).ToArray();

        await Task.WhenAll(contents.Select(content => Task.Run(async () =>
        {
            await using var writer = await Driver.OpenWriteAsync(P("shared/file"), append: false, Ct);
            for (var offset = 0; offset < content.Length; offset += 30_000)
            {
                await writer.WriteAsync(content.AsMemory(offset, 30_000), Ct);
            }

            await writer.CommitAsync(Ct);
        }, Ct)));

        var final = await Driver.ReadAllAsync(P("shared/file"), Ct);
        Assert.Contains(contents, content => content.AsSpan().SequenceEqual(final));
    }

    [Fact]
    public async Task WriteAll_ReadersDuringReplacement_SeeOldOrNewNeverAMix()
    {
        var old = Encoding.ASCII.GetBytes(new string('o', 100_000));
        var replacement = Encoding.ASCII.GetBytes(new string('n', 150_000));
        await Driver.WriteAllAsync(P("file"), old, Ct);

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await Driver.WriteAllAsync(P("file"), i % 2 == 0 ? replacement : old, Ct);
            }
        }, Ct);
        while (!writer.IsCompleted)
        {
            var seen = await Driver.ReadAllAsync(P("file"), Ct);
            Assert.NotNull(seen);
            Assert.True(seen.AsSpan().SequenceEqual(old) || seen.AsSpan().SequenceEqual(replacement), "a reader saw a mix of two contents");
        }

        await writer;
    }
}
