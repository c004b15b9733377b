using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.TestKit;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Logging;

/// <summary>
/// A whole htpasswd session at <c>log.level: debug</c> (pushes, pulls, a wrong password, a stray bearer token) and then
/// every line berth printed is searched for the secrets it was shown: none may be there.
/// </summary>
public sealed class SecretsNotLoggedProcessTests : IDisposable
{
    private const string User = "moby";
    private const string Password = "Gordon-pw-5f1c9e";
    private const string WrongPassword = "not-Gordon-pw-77ab";
    private const string BearerToken = "eyJhbGciOiJIUzI1NiJ9.stray-token-3c8d";
    private readonly TempDirectory _folder = new("berth-secrets");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task AuthenticatedSession_DebugLevel_NoSecretInAnyLine(string formatter)
    {
        var htpasswd = _folder.Combine("htpasswd");
        var hash = await CommandRunner.RunCheckedAsync("dotnet", [BerthProcess.BerthDll, "htpasswd", "-Bbn", User, Password], cancellationToken: Ct);
        await File.WriteAllBytesAsync(htpasswd, hash.StandardOutputBytes, Ct);
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_AUTH"] = "htpasswd",
            ["REGISTRY_AUTH_HTPASSWD_REALM"] = "berth-test",
            ["REGISTRY_AUTH_HTPASSWD_PATH"] = htpasswd,
            ["REGISTRY_LOG_LEVEL"] = "debug",
            ["REGISTRY_LOG_FORMATTER"] = formatter,
        };
        await using var berth = await BerthProcess.StartAsync(_folder.Combine("registry"), environment, cancellationToken: Ct);
        var basic = Basic(User, Password);
        var wrong = Basic(User, WrongPassword);

        await RunSessionAsync(berth.BaseUri, basic, wrong);

        await berth.StopAsync();
        var output = berth.Output;
        Assert.Contains("library/app/manifests/v1", output, StringComparison.Ordinal);
        if (formatter == "json")
        {
            Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonDocument.Parse(line).Dispose());
        }

        Assert.Contains(formatter == "json" ? "\"User\":\"moby\"" : "user=moby", output, StringComparison.Ordinal);
        foreach (var secret in (string[])[Password, WrongPassword, basic.Parameter!, wrong.Parameter!, BearerToken])
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }

        // Nor any other credential: no bearer token at all (a challenge's "Bearer realm=" is not one).
        Assert.DoesNotMatch(@"Bearer\s+(?!realm=)[\w\-.~+/]+", output);
    }

    private static async Task RunSessionAsync(Uri baseUri, AuthenticationHeaderValue basic, AuthenticationHeaderValue wrong)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        http.DefaultRequestHeaders.Authorization = basic;
        var manifest = await new RegistryClient(http).PushRandomImageAsync("library/app", "v1");
        using (var pulled = await http.GetAsync("v2/library/app/manifests/v1", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        using (var byDigest = await http.GetAsync($"v2/library/app/manifests/{manifest.Digest}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        }

        foreach (var refused in (AuthenticationHeaderValue[])[wrong, new("Bearer", BearerToken)])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/library/app/manifests/v1");
            request.Headers.Authorization = refused;
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
}
