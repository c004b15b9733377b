using System.Globalization;
using Berth.EndToEnd.Tests.Security;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// A second berth with htpasswd (made by <c>berth htpasswd -Bbn</c>) and an access policy: bob may pull
/// <c>team/*</c> and nothing else, alice may do everything. Alice pushed <c>team/api:v1</c>, <c>team/web:v1</c>
/// and <c>other/secret:v1</c>.
/// </summary>
public sealed class UiHtpasswdFixture : IAsyncLifetime
{
    public const string Password = "s3cret-pw";

    private readonly TempDirectory _work = new("berth-ui-auth");
    private BerthProcess? _berth;

    public BerthProcess Berth => _berth ?? throw new InvalidOperationException("not started");

    internal OciArtifact TeamApi { get; } = UiSamples.WebImage("team api");

    public async ValueTask InitializeAsync()
    {
        var htpasswd = _work.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd,
            await SecureLab.BerthHtpasswdAsync("alice", Password) + await SecureLab.BerthHtpasswdAsync("bob", Password), Token);
        var config = _work.Combine("config.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {{_work.Combine("registry")}}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:5000
            auth:
              htpasswd:
                realm: Berth UI tests
                path: {{htpasswd}}
            access:
              rules:
                - repositories: ["team/*"]
                  users: [bob]
                  actions: [pull]
                - repositories: ["**"]
                  users: [alice]
                  actions: ["*"]
            """), Token);
        // BerthProcess sets a free port (and the root) by variable, which beat the file.
        _berth = await BerthProcess.StartAsync(_work.Combine("registry"), configFile: config, cancellationToken: Token);
        using var push = new OciPush(Berth.BaseUri, "alice", Password);
        await push.PushAsync("team/api", TeamApi, "v1");
        await push.PushAsync("team/web", UiSamples.WebImage("team web"), "v1");
        await push.PushAsync("other/secret", UiSamples.WebImage("secret"), "v1");
    }

    public async ValueTask DisposeAsync()
    {
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
            TestContext.Current.SendDiagnosticMessage("----- berth (ui, htpasswd) logged -----\n" + _berth.Output);
        }

        _work.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
