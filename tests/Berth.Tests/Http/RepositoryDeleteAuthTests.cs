using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// A berth with htpasswd and an access policy: <c>pusher</c> may pull and push everything, <c>admin</c> may also
/// delete. Deletion is enabled in storage; the policy alone decides who may delete a repository.
/// </summary>
public sealed class DeleteRightFixture : IAsyncLifetime
{
    public const string Password = "pw-7d1e";
    private readonly TempDirectory _temp = new("berth-delete-right");
    private BerthProcess? _berth;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var htpasswd = new StringBuilder();
        foreach (var user in (string[])["pusher", "admin"])
        {
            var line = await CommandRunner.RunCheckedAsync("dotnet", [BerthProcess.BerthDll, "htpasswd", "-Bbn", user, Password], cancellationToken: ct);
            htpasswd.Append(line.StandardOutput.Trim()).Append('\n');
        }

        await File.WriteAllTextAsync(_temp.Combine("htpasswd"), htpasswd.ToString(), ct);
        var config = _temp.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {_temp.Combine("root")}
              delete:
                enabled: true
            auth:
              htpasswd:
                realm: berth-test
                path: {_temp.Combine("htpasswd")}
            access:
              rules:
                - repositories: ["**"]
                  users: [pusher]
                  actions: [pull, push]
                - repositories: ["**"]
                  users: [admin]
                  actions: [pull, push, delete]
            """, ct);
        _berth = await BerthProcess.StartAsync(_temp.Combine("root"), configFile: config, cancellationToken: ct);
        Http = new HttpClient { BaseAddress = _berth.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public static AuthenticationHeaderValue Basic(string user) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + Password)));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        _temp.Dispose();
    }
}

/// <summary>Repository deletion needs the same <c>delete</c> right as a manifest delete.</summary>
public sealed class RepositoryDeleteAuthTests(DeleteRightFixture fixture) : IClassFixture<DeleteRightFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delete_WithoutDeleteRight_ForbiddenDeniedAndKept()
    {
        var repository = await PushAsync();

        using var anonymous = await DeleteAsync(repository, user: null);
        using var pusher = await DeleteAsync(repository, "pusher");

        await ResponseAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ResponseAssert.ErrorAsync(pusher, HttpStatusCode.Forbidden, "DENIED");
        using var tags = await SendAsync(HttpMethod.Get, $"v2/{repository}/tags/list", "pusher");
        Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
    }

    [Fact]
    public async Task Delete_WithDeleteRight_Accepted()
    {
        var repository = await PushAsync();

        using var admin = await DeleteAsync(repository, "admin");
        using var tags = await SendAsync(HttpMethod.Get, $"v2/{repository}/tags/list", "admin");

        Assert.Equal(HttpStatusCode.Accepted, admin.StatusCode);
        await ResponseAssert.ErrorAsync(tags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    private async Task<string> PushAsync()
    {
        var repository = Digests.NewRepository("auth");
        var config = TestManifests.Config();
        var layer = TestManifests.Layer();
        var manifest = TestManifests.Image(config, [layer]);
        using var http = new HttpClient { BaseAddress = fixture.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = DeleteRightFixture.Basic("pusher");
        await new RegistryClient(http).PushImageAsync(repository, "v1", manifest, config, layer);
        return repository;
    }

    private Task<HttpResponseMessage> DeleteAsync(string repository, string? user) => SendAsync(HttpMethod.Delete, $"v2/{repository}/", user);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user)
    {
        var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = DeleteRightFixture.Basic(user);
        }

        return fixture.Http.SendAsync(request, Ct);
    }
}
