using System.Net;
using System.Text;
using System.Text.Json;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>The access policy end to end: skopeo and raw HTTPS requests as anonymous, a team member, an outsider and an admin.</summary>
public sealed class AccessPolicyTests(AccessPolicyFixture fixture) : IClassFixture<AccessPolicyFixture>
{
    [Fact]
    public async Task Inspect_AnonymousOnPublic_ServesTheImage()
    {
        var inspect = await fixture.TrySkopeoAsync("inspect", null, "public/app:v1");

        Assert.True(inspect.Succeeded, inspect.Describe());
        using var document = JsonDocument.Parse(inspect.StandardOutput);
        Assert.Equal(fixture.Image.ManifestDigest, document.RootElement.GetProperty("Digest").GetString());
    }

    [Fact]
    public async Task Push_AnonymousToPublic_RefusedUnauthorizedNothingStored()
    {
        var push = await fixture.TryPushAsync(null, "public/anonymous:v1");

        SkopeoTlsTests.AssertUnauthorized(push);
        Assert.False(Directory.Exists(RepositoryFolder("public/anonymous")), "an anonymous push must not create the repository");
    }

    [Fact]
    public async Task Push_TeamMemberToOwnTeam_Stored()
    {
        await fixture.PushAsync("alice", "team-a/own:v1");

        var inspect = await fixture.TrySkopeoAsync("inspect", "alice", "team-a/own:v1");
        Assert.True(inspect.Succeeded, inspect.Describe());
        Assert.True(Directory.Exists(RepositoryFolder("team-a/own")));
    }

    [Theory]
    [InlineData("alice", "team-b/intruder:v1")] // a team member outside her team
    [InlineData("bob", "team-a/intruder:v1")] // a user no rule names
    public async Task Push_OutsideThePolicy_DeniedNothingStored(string user, string nameAndTag)
    {
        var push = await fixture.TryPushAsync(user, nameAndTag);

        Assert.False(push.Succeeded, push.Describe());
        // skopeo's first request is a HEAD of a blob: a 403 without a body, so it can only quote the status.
        Assert.True(push.StandardError.Contains("403 (Forbidden)", StringComparison.Ordinal), push.Describe());
        Assert.False(Directory.Exists(RepositoryFolder(nameAndTag.Split(':')[0])), "a denied push must not create the repository");
    }

    [Fact]
    public async Task Delete_NonAdminDenied_AdminDeletes()
    {
        await fixture.PushAsync("alice", "team-a/deleted:v1");

        var byAlice = await fixture.TrySkopeoAsync("delete", "alice", "team-a/deleted:v1");
        Assert.False(byAlice.Succeeded, byAlice.Describe());
        Assert.Contains("denied", byAlice.StandardError, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync("carol", "team-a/deleted", "v1"));

        var byCarol = await fixture.TrySkopeoAsync("delete", "carol", "team-a/deleted:v1");
        Assert.True(byCarol.Succeeded, byCarol.Describe());
        Assert.Equal(HttpStatusCode.NotFound, await ManifestStatusAsync("carol", "team-a/deleted", "v1"));
    }

    [Theory]
    [InlineData("GET", "bob", "team-a/app/manifests/v1")]
    [InlineData("GET", "alice", "team-b/app/manifests/v1")]
    [InlineData("POST", "alice", "team-b/app/blobs/uploads/")]
    [InlineData("DELETE", "alice", "team-a/app/manifests/v1")]
    public async Task Request_AuthenticatedOutsideThePolicy_Forbidden403Denied(string method, string user, string path)
    {
        using var http = fixture.Lab.Client(user, AccessPolicyFixture.Password);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(fixture.Berth.BaseUri, "v2/" + path));

        using var response = await http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"DENIED\"", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_PerCaller_ListsOnlyWhatTheCallerMayPull()
    {
        var anonymous = await CatalogAsync(null);
        var alice = await CatalogAsync("alice");
        var carol = await CatalogAsync("carol");

        Assert.Contains("public/app", anonymous);
        Assert.All(anonymous, name => Assert.StartsWith("public/", name, StringComparison.Ordinal));
        Assert.Contains("public/app", alice);
        Assert.Contains("team-a/app", alice);
        Assert.All(alice, name => Assert.True(name.StartsWith("public/", StringComparison.Ordinal) || name.StartsWith("team-a/", StringComparison.Ordinal), name));
        Assert.Contains("team-b/app", carol);
        Assert.Superset(new HashSet<string>(alice), new HashSet<string>(carol));
    }

    private async Task<List<string>> CatalogAsync(string? user)
    {
        using var http = fixture.Lab.Client(user, AccessPolicyFixture.Password);
        using var response = await http.GetAsync(new Uri(fixture.Berth.BaseUri, "v2/_catalog"), Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"catalog as {user ?? "anonymous"}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("repositories").EnumerateArray().Select(name => name.GetString()!)];
    }

    private async Task<HttpStatusCode> ManifestStatusAsync(string user, string repository, string reference)
    {
        using var http = fixture.Lab.Client(user, AccessPolicyFixture.Password);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Berth.BaseUri, $"v2/{repository}/manifests/{reference}"));
        request.Headers.Accept.ParseAdd(OciImageLayout.ManifestMediaType);
        using var response = await http.SendAsync(request, Token);
        return response.StatusCode;
    }

    private string RepositoryFolder(string repository) => Path.Combine(RegistryLayout.V2(fixture.Lab.Root), "repositories", repository);

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
