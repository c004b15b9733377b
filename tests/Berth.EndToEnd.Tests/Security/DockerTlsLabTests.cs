using System.Text;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// The registry lab, Parts 2 and 3, with a real dockerd: a self-signed certificate from openssl, an htpasswd file
/// from <c>berth htpasswd</c>, berth started with exactly the lab's REGISTRY_* variables, then docker login, push,
/// pull and logout.
/// </summary>
[Collection(DockerTestGroup.Name)]
public sealed class DockerTlsLabTests(DockerFixture fixture)
{
    private DockerDaemon Docker => fixture.Docker;

    [Fact]
    public async Task LoginPushPull_LabPartsTwoAndThree_SameImageAndRefusedAfterLogout()
    {
        using var lab = await SecureLab.CreateAsync(("moby", "gordon"));
        // The file must be one Apache's own tool accepts: the lab's htpasswd came from Apache before berth shipped it.
        var htpasswd = Tools.Require("htpasswd", "apache2-utils");
        (await CommandRunner.RunAsync(htpasswd, ["-vb", lab.Htpasswd, "moby", "gordon"], cancellationToken: Token)).EnsureSuccess();
        Assert.Equal(3, (await CommandRunner.RunAsync(htpasswd, ["-vb", lab.Htpasswd, "moby", "gordon2"], cancellationToken: Token)).ExitCode);
        await using var berth = await lab.StartBerthAsync();
        // As the lab says for a self-signed certificate: the daemon trusts it through certs.d (both names of the host).
        var registry = $"localhost:{berth.Port}";
        using var trust = DockerCertsTrust.Create(lab.Certificate, registry, berth.HostPort);
        var imageId = await fixture.BuildNginxAsync();
        var target = $"{registry}/my-nginx";
        await Docker.RunAsync(["tag", "nginx", target], cancellationToken: Token);
        try
        {
            var anonymousPush = await Docker.TryRunAsync(["push", target], cancellationToken: Token);
            Assert.False(anonymousPush.Succeeded, anonymousPush.Describe());
            Assert.Contains("no basic auth credentials", anonymousPush.StandardError, StringComparison.Ordinal);
            var wrongLogin = await LoginAsync(registry, "not-gordon");
            Assert.False(wrongLogin.Succeeded, wrongLogin.Describe());
            Assert.Contains("401 Unauthorized", wrongLogin.StandardError, StringComparison.Ordinal);

            var login = await LoginAsync(registry, "gordon");
            Assert.True(login.Succeeded, login.Describe());
            Assert.Contains("Login Succeeded", login.StandardOutput, StringComparison.Ordinal);
            await Docker.RunAsync(["push", target], cancellationToken: Token);
            await Docker.RunAsync(["rmi", "nginx", target], cancellationToken: Token);
            await Docker.RunAsync(["pull", target], cancellationToken: Token);
            Assert.Equal(imageId, await Docker.ImageIdAsync(target, Token));

            await Docker.RunAsync(["logout", registry], cancellationToken: Token);
            await Docker.RunAsync(["rmi", target], cancellationToken: Token);
            var refused = await Docker.TryRunAsync(["pull", target], cancellationToken: Token);
            Assert.False(refused.Succeeded, refused.Describe());
            // dockerd treats localhost as an insecure registry: after the 401 over HTTPS it retries plain HTTP on the
            // TLS port, which berth closes ("EOF"; registry:2 answers 400 and docker says "connection reset by peer").
            Assert.Contains($"Get \"http://{registry}/v2/\": EOF", refused.StandardError, StringComparison.Ordinal);
            Assert.False((await Docker.TryRunAsync(["image", "inspect", target], cancellationToken: Token)).Succeeded,
                "the refused pull must not have brought the image");
        }
        finally
        {
            await Docker.TryRunAsync(["logout", registry], cancellationToken: Token);
            await Docker.TryRunAsync(["rmi", "nginx", target], cancellationToken: Token);
            TestContext.Current.TestOutputHelper?.WriteLine(berth.Output);
        }
    }

    [Fact]
    public async Task LoginPushPull_TokenAuth_DockerdFollowsTheBearerChallenge()
    {
        var registry = new TokenRegistry();
        await using (registry)
        {
            await registry.InitializeAsync();
            var host = registry.Berth.HostPort;
            using var trust = DockerCertsTrust.Create(registry.Lab.Certificate, host);
            var imageId = await fixture.BuildNginxAsync();
            var target = $"{host}/token/nginx:v1";
            await Docker.RunAsync(["tag", "nginx", target], cancellationToken: Token);
            try
            {
                var login = await LoginAsync(host, TokenServer.Password);
                Assert.True(login.Succeeded, login.Describe());
                await Docker.RunAsync(["push", target], cancellationToken: Token);
                await Docker.RunAsync(["rmi", "nginx", target], cancellationToken: Token);
                await Docker.RunAsync(["pull", target], cancellationToken: Token);

                Assert.Equal(imageId, await Docker.ImageIdAsync(target, Token));
                // The token server saw dockerd ask for push (docker orders the actions push,pull), then pull.
                Assert.Contains("moby repository:token/nginx:push,pull", registry.Tokens.Requests);
                Assert.Contains("moby repository:token/nginx:pull", registry.Tokens.Requests);
            }
            finally
            {
                await Docker.TryRunAsync(["logout", host], cancellationToken: Token);
                await Docker.TryRunAsync(["rmi", "nginx", target], cancellationToken: Token);
            }
        }
    }

    private Task<CommandResult> LoginAsync(string registry, string password) =>
        Docker.TryRunAsync(["login", registry, "-u", "moby", "--password-stdin"], Encoding.UTF8.GetBytes(password + "\n"), Token);

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
