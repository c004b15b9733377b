using System.Net;
using Berth.Tests.Http;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Notifications;

/// <summary>
/// A whole-repository deletion reaches a real receiver as registry:2-style delete events: one per tag (repository and
/// tag), then one per manifest (repository and digest), as if each had been deleted on its own.
/// </summary>
public sealed class RepositoryDeleteEventsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeleteRepository_TwoTagsTwoManifests_OneDeleteEventPerTagAndManifest()
    {
        using var temp = new TempDirectory("berth-notify-repo");
        await using var receiver = await WebhookReceiver.StartAsync();
        var config = temp.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            notifications:
              endpoints:
                - name: hook
                  url: http://127.0.0.1:{receiver.Port}/events
                  timeout: 5s
                  threshold: 3
                  backoff: 100ms
                  ignore:
                    actions: [pull]
            """, Ct);
        var environment = new Dictionary<string, string> { ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true" };
        await using var berth = await BerthProcess.StartAsync(temp.Combine("root"), environment, config, Ct);
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        var registry = new RegistryClient(http);
        var repository = Digests.NewRepository("notify");
        var first = await registry.PushRandomImageAsync(repository, "v1");
        var second = await registry.PushRandomImageAsync(repository, "latest");
        await Poll.UntilAsync(() => receiver.Events.Count(e => e.Action == "push") >= 6, "the push events");
        var pushes = receiver.Events.Count;

        using var deleted = await http.DeleteAsync($"v2/{repository}/", Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await Poll.UntilAsync(() => receiver.Events.Count >= pushes + 4, "four delete events");
        var deletes = receiver.Events.Skip(pushes).Select(e => e.Summary).ToList();
        var manifests = new[] { first.Digest, second.Digest }.Order(StringComparer.Ordinal).Select(d => $"delete {repository} {d}");
        Assert.Equal([$"delete {repository}  latest", $"delete {repository}  v1", .. manifests], deletes);
        Assert.All(receiver.Events.Skip(pushes), e => Assert.Equal("DELETE", e.Method));
    }
}
