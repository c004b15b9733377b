using System.Net;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Maintenance;

/// <summary>Upload purging in a real berth process, set by registry:2's variables, on a folder with an abandoned session.</summary>
public sealed class UploadPurgingProcessTests : IDisposable
{
    private readonly TempDirectory _work = new("berth-purge");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Serve_PurgingEverySecond_RemovesAbandonedSessionAndKeepsLiveOne()
    {
        var token = TestContext.Current.CancellationToken;
        var root = _work.Combine("registry");
        // A session registry:2 left a year ago, in a repository that got nothing else.
        var abandoned = Directory.CreateDirectory(Path.Combine(root, "docker/registry/v2/repositories/labs/app/_uploads/0b5e8f4c-9d5a-4c0e-8f7e-3c7a1f2d9e01")).FullName;
        await File.WriteAllTextAsync(Path.Combine(abandoned, "startedat"), "2025-01-01T00:00:00Z", token);
        await File.WriteAllBytesAsync(Path.Combine(abandoned, "data"), new byte[1024], token);

        await using var berth = await BerthProcess.StartAsync(root, new Dictionary<string, string>
        {
            ["REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_INTERVAL"] = "1s",
            ["REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE"] = "1h",
        }, cancellationToken: token);
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        using var live = await http.PostAsync("v2/labs/app/blobs/uploads/", null, token);
        Assert.Equal(HttpStatusCode.Accepted, live.StatusCode);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Directory.Exists(abandoned) || !berth.Output.Contains("upload purging: removed 1 sessions", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the abandoned session was not purged:\n" + berth.Output);
            await Task.Delay(50, token);
        }

        using var status = await http.GetAsync(live.Headers.Location!.ToString().TrimStart('/'), token);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
    }
}
