using System.Globalization;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// berth over TLS with htpasswd and the access policy of docs/configuration.md, from a config.yml: anyone pulls
/// <c>public/**</c>, team-a (alice) pushes <c>team-a/**</c>, admins (carol) do anything, bob is in no rule. Seeded
/// by carol with <c>public/app:v1</c> and <c>team-b/app:v1</c>, by alice with <c>team-a/app:v1</c>.
/// </summary>
public sealed class AccessPolicyFixture : IAsyncLifetime
{
    public const string Password = "s3cret";

    private SecureLab? _lab;
    private BerthProcess? _berth;
    private TempDirectory? _image;

    internal SecureLab Lab => _lab ?? throw new InvalidOperationException("not started");

    public BerthProcess Berth => _berth ?? throw new InvalidOperationException("not started");

    public OciImageLayout Image { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _lab = await SecureLab.CreateAsync(("alice", Password), ("bob", Password), ("carol", Password));
        var config = _lab.Combine("config.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {{_lab.Root}}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:5000
              tls:
                certificate: {{_lab.Certificate}}
                key: {{_lab.Key}}
            auth:
              htpasswd:
                realm: Registry Realm
                path: {{_lab.Htpasswd}}
            access:
              groups:
                team-a: [alice]
                admins: [carol]
              rules:
                - repositories: ["public/**"]
                  anonymous: true
                  actions: [pull]
                - repositories: ["team-a/**"]
                  groups: [team-a]
                  actions: [pull, push]
                - repositories: ["**"]
                  groups: [admins]
                  actions: [pull, push, delete]
            """), TestContext.Current.CancellationToken);
        // BerthProcess sets the address (a free port) and root by variable, which beat the file as in registry:2.
        _berth = await _lab.StartBerthAsync(new Dictionary<string, string>(), config);
        _image = new TempDirectory("berth-e2e");
        Image = OciImageLayout.Create(_image.Combine("image"), "v1");
        await PushAsync("carol", "public/app:v1");
        await PushAsync("carol", "team-b/app:v1");
        await PushAsync("alice", "team-a/app:v1");
    }

    /// <summary>skopeo copy of <see cref="Image"/> to <paramref name="nameAndTag"/> as <paramref name="user"/> (null: no credentials).</summary>
    public Task<CommandResult> TryPushAsync(string? user, string nameAndTag) =>
        Skopeo.TryRunAsync(["copy", "--quiet", "--dest-cert-dir", Lab.CertDir, .. Creds("--dest-creds", user), Image.Reference,
            Remote(nameAndTag)], TestContext.Current.CancellationToken);

    public async Task PushAsync(string user, string nameAndTag) => (await TryPushAsync(user, nameAndTag)).EnsureSuccess();

    /// <summary>Runs <c>skopeo VERB --cert-dir ... [--creds user:pw] docker://HOST/nameAndReference</c>.</summary>
    public Task<CommandResult> TrySkopeoAsync(string verb, string? user, string nameAndReference) =>
        Skopeo.TryRunAsync([verb, "--cert-dir", Lab.CertDir, .. Creds("--creds", user), Remote(nameAndReference)],
            TestContext.Current.CancellationToken);

    public string Remote(string nameAndReference) => $"docker://{Berth.HostPort}/{nameAndReference}";

    public async ValueTask DisposeAsync()
    {
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        _image?.Dispose();
        _lab?.Dispose();
    }

    private static string[] Creds(string option, string? user) => user is null ? [] : [option, $"{user}:{Password}"];
}
