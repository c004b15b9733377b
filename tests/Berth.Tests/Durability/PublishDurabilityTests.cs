using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Berth.TestKit;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Durability;

/// <summary>
/// What a power cut cannot undo once berth has answered: the system calls of a real berth process, traced with
/// strace, show each published file fsynced under its temp name, renamed into place, and then its folder fsynced,
/// so the rename itself is on disk before the 201 goes out. A crash cannot be simulated here (that takes a
/// fault-injecting block device); the order of the calls is what makes it safe, and that is what is checked.
/// </summary>
public sealed partial class PublishDurabilityTests : IDisposable
{
    private readonly TempDirectory _work = new("berth-durability");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task BlobAndTag_Published_ContentSyncedThenRenamedThenFolderSynced()
    {
        var root = Path.GetFullPath(_work.Combine("registry"));
        await using var berth = await BerthProcess.StartAsync(root, cancellationToken: TestContext.Current.CancellationToken);

        var calls = await TraceAsync(berth, "fsync,fdatasync,rename,renameat,renameat2", () => PushAsync(berth));

        var blob = Path.Combine(root, "docker/registry/v2/blobs/sha256", Pushed.Digest[7..9], Pushed.Digest[7..], "data");
        AssertSyncedRenameSynced(calls, blob);
        AssertSyncedRenameSynced(calls, Path.Combine(root, "docker/registry/v2/repositories/labs/durable/_manifests/tags/v1/current/link"));
    }

    [Fact]
    public async Task LargeBlobInOneRequest_WritebackStartedBeforeItIsPublished()
    {
        var root = Path.GetFullPath(_work.Combine("registry"));
        await using var berth = await BerthProcess.StartAsync(root, cancellationToken: TestContext.Current.CancellationToken);
        var large = Digests.RandomBytes(48 << 20);
        var digest = Digests.Sha256(large);

        var calls = await TraceAsync(berth, "sync_file_range,fsync,rename,renameat,renameat2", async () =>
        {
            using var http = new HttpClient { BaseAddress = berth.BaseUri };
            using var push = await http.PostAsync($"v2/labs/large/blobs/uploads/?digest={digest}", new ByteArrayContent(large),
                TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        });

        // The bytes went to disk while the body arrived, not all at the fsync that publishes the blob.
        var blob = Path.Combine(root, "docker/registry/v2/blobs/sha256", digest[7..9], digest[7..], "data");
        var rename = Array.FindIndex(calls, call => Rename().Match(call) is { Success: true } match && match.Groups["to"].Value == blob);
        Assert.True(rename > 0, $"no rename to {blob}:\n{string.Join('\n', calls)}");
        Assert.Contains(calls[..rename], call => call.Contains("sync_file_range(", StringComparison.Ordinal) && call.EndsWith("= 0", StringComparison.Ordinal));
    }

    /// <summary>The system calls named in <paramref name="syscalls"/> that berth makes while <paramref name="action"/> runs.</summary>
    private async Task<string[]> TraceAsync(BerthProcess berth, string syscalls, Func<Task> action)
    {
        var token = TestContext.Current.CancellationToken;
        var trace = _work.Combine("trace.log");
        await using (var strace = BackgroundProcess.Start(Tools.Require("strace", "strace"),
            ["-f", "-y", "-e", "trace=" + syscalls, "-o", trace, "-p", berth.ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            // strace says "Process PID attached with N threads" once it holds every thread (later ones follow by -f).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!strace.Output.Contains($"Process {berth.ProcessId} attached", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline && !strace.HasExited, "strace did not attach:\n" + strace.Output);
                await Task.Delay(20, token);
            }

            await action();
            await CommandRunner.RunAsync("kill", ["-INT", strace.Id.ToString(CultureInfo.InvariantCulture)], cancellationToken: token);
            await strace.StopAsync(TimeSpan.FromSeconds(30));
        }

        return await File.ReadAllLinesAsync(trace, token);
    }

    private static readonly Content Pushed = TestManifests.Layer();

    private static async Task PushAsync(BerthProcess berth)
    {
        var token = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        foreach (var content in new[] { Pushed, TestManifests.EmptyConfig })
        {
            using var blob = await http.PostAsync($"v2/labs/durable/blobs/uploads/?digest={content.Digest}", new ByteArrayContent(content.Bytes), token);
            Assert.Equal(HttpStatusCode.Created, blob.StatusCode);
        }

        var manifest = TestManifests.Image(TestManifests.EmptyConfig, [Pushed]);
        using var body = new ByteArrayContent(manifest.Bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        using var put = await http.PutAsync("v2/labs/durable/manifests/v1", body, token);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    /// <summary>
    /// In the trace: an fsync of the temp file, then the rename of that temp file to <paramref name="target"/>, then
    /// an fsync of <paramref name="target"/>'s folder (strace -y names each descriptor's file).
    /// </summary>
    private static void AssertSyncedRenameSynced(string[] calls, string target)
    {
        var rename = Array.FindIndex(calls, call => Rename().Match(call) is { Success: true } match && match.Groups["to"].Value == target);
        Assert.True(rename >= 0, $"no rename to {target} in:\n{string.Join('\n', calls)}");
        var temp = Rename().Match(calls[rename]).Groups["from"].Value;

        var folder = Path.GetDirectoryName(target)!;
        var trace = string.Join('\n', calls);
        Assert.True(calls[..rename].Any(call => IsSyncOf(call, temp)), $"{temp} not fsynced before its rename to {target}:\n{trace}");
        Assert.True(calls[(rename + 1)..].Any(call => IsSyncOf(call, folder)), $"{folder} not fsynced after the rename to {target}:\n{trace}");
    }

    /// <summary>A successful fsync of a descriptor open on <paramref name="path"/> (strace -y: <c>fsync(27&lt;/path&gt;) = 0</c>).</summary>
    private static bool IsSyncOf(string call, string path) =>
        call.Contains("fsync(", StringComparison.Ordinal) && call.Contains("<" + path + ">)", StringComparison.Ordinal)
        && call.EndsWith("= 0", StringComparison.Ordinal);

    [GeneratedRegex("""rename(at2?)?\((AT_FDCWD, )?"(?<from>[^"]+)", (AT_FDCWD, )?"(?<to>[^"]+)".*= 0$""")]
    private static partial Regex Rename();
}
