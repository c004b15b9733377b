using System.Security.Cryptography;
using Berth.Core;
using Berth.Proxy.Cache;
using Berth.Proxy.Upstream;
using Berth.TestKit;

namespace Berth.Proxy.Tests;

public sealed class BlobFillTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-fill");
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);
    private readonly List<byte[]> _published = [];
    private int _opened;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Spool => _folder.Combine("spool");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Join_TwentyClientsWhileTheBytesArrive_OneUpstreamFetchEveryClientGetsEveryByteOnePublish()
    {
        var fills = new BlobFills(Spool);
        var upstream = new GatedStream();
        var digest = Digest.Compute(_content);

        var joined = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fills.JoinAsync(digest, Open(upstream, _content.Length), PublishAsync, Ct)));
        var readers = joined.Select(fill => fill!.OpenReader()!).ToList();
        var reads = readers.Select(reader => Task.Run(() => ReadAllAsync(reader), Ct)).ToList();
        foreach (var chunk in _content.Chunk(100_000))
        {
            upstream.Release(chunk);
        }

        upstream.End();
        var received = await Task.WhenAll(reads);
        await joined[0]!.Completion;

        Assert.Equal(1, _opened);
        Assert.All(joined, fill => Assert.Same(joined[0], fill));
        Assert.All(received, bytes => Assert.Equal(_content, bytes));
        Assert.Equal(_content, Assert.Single(_published));
        readers.ForEach(reader => reader.Dispose());
        Assert.Empty(Directory.EnumerateFiles(Spool));
    }

    [Fact]
    public async Task Reader_FirstBytesArrived_ReadsThemBeforeTheUpstreamIsDone()
    {
        var fills = new BlobFills(Spool);
        var upstream = new GatedStream();
        var fill = await fills.JoinAsync(Digest.Compute(_content), Open(upstream, _content.Length), PublishAsync, Ct);
        await using var reader = fill!.OpenReader()!;

        upstream.Release(_content[..1000]);
        var buffer = new byte[4096];
        var read = await reader.ReadAsync(buffer, Ct);

        Assert.Equal(_content[..read], buffer[..read]);
        Assert.InRange(read, 1, 1000);
        Assert.False(fill.Completion.IsCompleted);
        upstream.Release(_content[1000..]);
        upstream.End();
        await fill.Completion;
    }

    [Fact]
    public async Task Corrupt_BytesNotMatchingTheDigest_ReadersFailNothingPublishedSpoolRemoved()
    {
        var fills = new BlobFills(Spool);
        var upstream = new GatedStream();
        var corrupt = (byte[])_content.Clone();
        corrupt[^1] ^= 1;
        var fill = await fills.JoinAsync(Digest.Compute(_content), Open(upstream, corrupt.Length), PublishAsync, Ct);
        var reader = fill!.OpenReader()!;

        upstream.Release(corrupt);
        upstream.End();

        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(reader));
        var failure = await Assert.ThrowsAsync<UpstreamException>(() => fill.Completion);
        Assert.Equal(UpstreamFailure.Invalid, failure.Failure);
        Assert.Empty(_published);
        await reader.DisposeAsync();
        Assert.Empty(Directory.EnumerateFiles(Spool));
    }

    [Fact]
    public async Task Truncated_FewerBytesThanDeclared_NotPublishedAndTheNextJoinFetchesAgain()
    {
        var fills = new BlobFills(Spool);
        var digest = Digest.Compute(_content);
        var cut = new GatedStream();
        var fill = await fills.JoinAsync(digest, Open(cut, _content.Length), PublishAsync, Ct);

        cut.Release(_content[..5000]);
        cut.End();
        var failure = await Assert.ThrowsAsync<UpstreamException>(() => fill!.Completion);
        var whole = new GatedStream();
        whole.Release(_content);
        whole.End();
        var again = await fills.JoinAsync(digest, Open(whole, _content.Length), PublishAsync, Ct);
        await again!.Completion;

        Assert.Contains("sent 5000 of", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, _opened);
        Assert.Equal(_content, Assert.Single(_published));
        Assert.Null(again.OpenReader());
    }

    [Fact]
    public async Task Join_UpstreamHasNoSuchBlob_NullAndNothingKept()
    {
        var fills = new BlobFills(Spool);
        var digest = Digest.Compute(_content);

        var missing = await fills.JoinAsync(digest, _ => { _opened++; return Task.FromResult<UpstreamBlob?>(null); }, PublishAsync, Ct);
        var stillMissing = await fills.JoinAsync(digest, _ => { _opened++; return Task.FromResult<UpstreamBlob?>(null); }, PublishAsync, Ct);

        Assert.Equal((null, null, 2), (missing, stillMissing, _opened));
    }

    private Func<CancellationToken, Task<UpstreamBlob?>> Open(Stream body, long length) => _ =>
    {
        Interlocked.Increment(ref _opened);
        return Task.FromResult<UpstreamBlob?>(new UpstreamBlob(body, length, new HttpResponseMessage()));
    };

    private async Task PublishAsync(string spool, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(spool, cancellationToken);
        lock (_published)
        {
            _published.Add(bytes);
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream reader)
    {
        using var copy = new MemoryStream();
        await reader.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
