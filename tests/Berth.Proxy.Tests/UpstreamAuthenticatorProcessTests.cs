using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Proxy.Upstream;
using Berth.TestKit;

namespace Berth.Proxy.Tests;

/// <summary>
/// The upstream client's authentication against Debian's docker-registry playing an upstream: behind htpasswd
/// (Basic, as a private registry) and behind a token server (the Bearer flow of Docker Hub, GHCR and Quay).
/// </summary>
public sealed class UpstreamAuthenticatorProcessTests : IDisposable
{
    private const string MirrorUser = "mirror";
    private const string MirrorPassword = "s3cret-upstream";

    /// <summary><c>htpasswd -nbB -C 5 mirror s3cret-upstream</c>.</summary>
    private const string MirrorHtpasswd = "mirror:$2y$05$zMQPrl2A3w4KcPIeNlnigu9/skx2aBcVpqANSbJM89XX8WA0mfGBO";

    private readonly TempDirectory _folder = new("berth-proxy-auth");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Basic_HtpasswdUpstream_RightCredentialsPullAndOthersGet401()
    {
        var passwords = _folder.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, MirrorHtpasswd + "\n", Ct);
        await using var upstream = await DockerRegistryProcess.StartWithAuthAsync(_folder.Combine("root"), $"""
              htpasswd:
                realm: upstream
                path: {passwords}
            """, Ct);
        var (manifest, config) = await UpstreamSeed.PushAsync(upstream.BaseUri, "team/app", "v1", Basic(MirrorUser, MirrorPassword), Ct);

        using var right = Client(upstream.BaseUri, new UpstreamCredentials(MirrorUser, MirrorPassword));
        using var wrong = Client(upstream.BaseUri, new UpstreamCredentials(MirrorUser, "guess"));
        using var anonymous = Client(upstream.BaseUri, credentials: null);

        Assert.Equal(manifest, await GetDigestAsync(right, "v2/team/app/manifests/v1"));
        Assert.Equal(config, await GetDigestAsync(right, $"v2/team/app/blobs/{config}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(wrong, "v2/team/app/manifests/v1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, "v2/team/app/manifests/v1"));
    }

    [Fact]
    public async Task Bearer_TokenUpstream_OneTokenPerScopeEvenForTwentyConcurrentPulls()
    {
        await using var tokens = TokenServer.Start();
        await using var upstream = await StartTokenUpstreamAsync(tokens);
        var push = new AuthenticationHeaderValue("Bearer", tokens.Mint(TokenServer.User,
            [("repository", "library/nginx", ["pull", "push"]), ("repository", "org/tool", ["pull", "push"])]));
        var (nginx, nginxConfig) = await UpstreamSeed.PushAsync(upstream.BaseUri, "library/nginx", "latest", push, Ct);
        var (tool, _) = await UpstreamSeed.PushAsync(upstream.BaseUri, "org/tool", "1.0", push, Ct);
        tokens.Requests.Clear();

        using var client = Client(upstream.BaseUri, new UpstreamCredentials(TokenServer.User, TokenServer.Password));
        Assert.Equal(nginx, await GetDigestAsync(client, "v2/library/nginx/manifests/latest"));
        Assert.Equal(nginxConfig, await GetDigestAsync(client, $"v2/library/nginx/blobs/{nginxConfig}"));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => GetDigestAsync(client, "v2/org/tool/manifests/1.0")));

        Assert.All(concurrent, digest => Assert.Equal(tool, digest));
        Assert.Equal(["moby repository:library/nginx:pull", "moby repository:org/tool:pull"], tokens.Requests.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bearer_TokenServerRefusesTheCredentials_UpstreamExceptionSaysSoWithoutThePassword()
    {
        await using var tokens = TokenServer.Start();
        await using var upstream = await StartTokenUpstreamAsync(tokens);
        using var client = Client(upstream.BaseUri, new UpstreamCredentials(TokenServer.User, "not-gordon"));

        var refused = await Assert.ThrowsAsync<UpstreamException>(() => client.GetAsync("v2/library/nginx/manifests/latest", Ct));

        Assert.Contains("answered 401: check the upstream's username and password", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-gordon", refused.ToString(), StringComparison.Ordinal);
    }

    /// <summary>docker-registry trusting <paramref name="tokens"/>' signer: an upstream of the Bearer flow.</summary>
    private async Task<DockerRegistryProcess> StartTokenUpstreamAsync(TokenServer tokens)
    {
        var bundle = _folder.Combine("token-signer.crt");
        await File.WriteAllTextAsync(bundle, tokens.CertificatePem, Ct);
        return await DockerRegistryProcess.StartWithAuthAsync(_folder.Combine("root"), $"""
              token:
                realm: {tokens.Realm}
                service: {TokenServer.Service}
                issuer: {TokenServer.Issuer}
                rootcertbundle: {bundle}
            """, Ct);
    }

    private static HttpClient Client(Uri upstream, UpstreamCredentials? credentials) =>
        new(new UpstreamAuthenticator(credentials, new TokenCache(TimeProvider.System), TimeProvider.System) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = upstream,
        };

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<string> GetDigestAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(UpstreamSeed.ManifestType));
        using var response = await client.SendAsync(request, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return UpstreamSeed.Digest(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        return response.StatusCode;
    }
}
