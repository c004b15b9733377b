using Berth.TestKit;
using Microsoft.Playwright;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// A real <c>berth serve</c> (deletion enabled) holding what the web page has to show, and a headless chromium:
/// <list type="bullet">
/// <item><c>apps/hello</c> 1.0 and latest: one image pushed by skopeo as Docker schema 2;</item>
/// <item><c>apps/multi:v1</c>: an OCI index over linux/amd64 and linux/arm64 (skopeo copy --all);</item>
/// <item><c>apps/web</c> 1.2.3 and latest: an image with every config field, a cosign signature and an SPDX SBOM referring to it;</item>
/// <item><c>charts/mychart:0.1.0</c>: a Helm chart; <c>hostile/app:v1</c>: markup and javascript: URLs in labels;</item>
/// <item><c>apps/versions</c> 1.2, 1.9 and 1.10, one image each, for the version-aware order;</item>
/// <item><c>delete/me</c> 1.0 and keep (one digest) and <c>forged/app:v1</c>, for the delete tests.</item>
/// </list>
/// </summary>
public sealed class UiRegistryFixture : IAsyncLifetime
{
    private readonly TempDirectory _work = new("berth-ui");
    private BerthProcess? _berth;
    private UiBrowser? _browser;

    public BerthProcess Berth => _berth ?? throw new InvalidOperationException("not started");

    public UiBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    internal OciImageLayout Hello { get; private set; } = null!;

    /// <summary>apps/hello's digest as pushed (Docker schema 2: not the layout's OCI manifest).</summary>
    internal string HelloDigest { get; private set; } = "";

    internal OciIndexLayout Multi { get; private set; } = null!;

    internal OciImageLayout DeleteMe { get; private set; } = null!;

    internal OciArtifact Web { get; } = UiSamples.WebImage("1.2.3");

    internal OciArtifact Signature => UiSamples.Signature(Web);

    internal OciArtifact Sbom => UiSamples.Sbom(Web);

    internal OciArtifact Chart { get; } = UiSamples.HelmChart();

    internal OciArtifact Hostile { get; } = UiSamples.HostileImage();

    internal OciArtifact Forged { get; } = UiSamples.WebImage("forged");

    /// <summary>The tags of <c>apps/versions</c>, each on its own image: in text order 1.10 would come before 1.2.</summary>
    internal static string[] VersionTags => ["1.2", "1.10", "1.9"];

    /// <summary>The tag of each image of <c>apps/versions</c>, by digest.</summary>
    internal Dictionary<string, string> VersionDigests { get; } = [];

    public async ValueTask InitializeAsync()
    {
        _berth = await BerthProcess.StartAsync(_work.Combine("registry"),
            new Dictionary<string, string> { ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true" }, cancellationToken: Token);
        await PushWithSkopeoAsync();
        using (var push = new OciPush(Berth.BaseUri))
        {
            await push.PushAsync("apps/web", Web, "1.2.3");
            await push.ManifestAsync("apps/web", "latest", OciArtifact.ManifestMediaType, Web.Manifest);
            await push.PushAsync("apps/web", Signature);
            await push.PushAsync("apps/web", Sbom);
            await push.PushAsync("charts/mychart", Chart, "0.1.0");
            await push.PushAsync("hostile/app", Hostile, "v1");
            await push.PushAsync("forged/app", Forged, "v1");
            foreach (var version in VersionTags)
            {
                VersionDigests[await push.PushAsync("apps/versions", UiSamples.WebImage(version), version)] = version;
            }
        }

        _browser = await UiBrowser.LaunchAsync();
    }

    /// <summary>A new browser tab in a fresh context, at the page's address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (Berth.HasExited)
        {
            throw new InvalidOperationException("berth has exited:\n" + Berth.Output);
        }

        var context = await Browser.NewContextAsync(Berth.BaseUri);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_berth is not null)
        {
            await _berth.DisposeAsync();
            TestContext.Current.SendDiagnosticMessage("----- berth (ui) logged -----\n" + _berth.Output);
        }

        _work.Dispose();
    }

    private async Task PushWithSkopeoAsync()
    {
        Hello = OciImageLayout.Create(_work.Combine("hello"), "1.0");
        Multi = OciIndexLayout.Create(_work.Combine("multi"), "v1", "amd64", "arm64");
        DeleteMe = OciImageLayout.Create(_work.Combine("delete-me"), "1.0");
        var digestFile = _work.Combine("hello.digest");
        foreach (var tag in new[] { "1.0", "latest" })
        {
            await Skopeo.RunAsync(["copy", "--quiet", "--dest-tls-verify=false", "--format", "v2s2", "--digestfile", digestFile,
                Hello.Reference, Docker("apps/hello:" + tag)], Token);
        }

        HelloDigest = (await File.ReadAllTextAsync(digestFile, Token)).Trim();

        await Skopeo.RunAsync(["copy", "--quiet", "--all", "--dest-tls-verify=false", Multi.Reference, Docker("apps/multi:v1")], Token);
        foreach (var tag in new[] { "1.0", "keep" })
        {
            await Skopeo.CopyAsync(DeleteMe.Reference, Docker("delete/me:" + tag), cancellationToken: Token);
        }
    }

    private string Docker(string nameAndTag) => $"docker://{Berth.HostPort}/{nameAndTag}";

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
