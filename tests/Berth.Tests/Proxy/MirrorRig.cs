using System.Net;
using System.Text.RegularExpressions;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Proxy;

/// <summary>
/// Upstreams played by Debian's docker-registry (the one a test names "docker.io" and, when asked, one behind htpasswd
/// as "ghcr.io"), a berth that mirrors them with the <c>proxy</c> section the test gives, and helpers to seed the
/// upstreams with skopeo and to count what berth fetched from them (their access logs).
/// </summary>
internal sealed partial class MirrorRig : IAsyncDisposable
{
    public const string UpstreamUser = "mirror";
    public const string UpstreamPassword = "up-5f0c";

    private readonly TempDirectory _temp = new("berth-mirror");
    private readonly List<DockerRegistryProcess> _upstreams = [];

    public DockerRegistryProcess Hub { get; private set; } = null!;

    public DockerRegistryProcess? Private { get; private set; }

    public BerthProcess Berth { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string Root => _temp.Combine("root");

    public string HubRoot => _temp.Combine("hub");

    /// <summary>berth's config.yml: the filesystem root and the proxy section.</summary>
    public string ConfigFile => _temp.Combine("config.yml");

    /// <summary>Stops berth, runs <c>berth garbage-collect</c> with <paramref name="options"/> on its store, starts it again.</summary>
    public async Task<string> CollectGarbageAsync(IReadOnlyList<string> options, CancellationToken ct)
    {
        await Berth.StopAsync();
        await Berth.DisposeAsync();
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", .. options, ConfigFile]);
        Assert.True(exitCode == 0, $"garbage-collect exited {exitCode}:\n{output}");
        Berth = await BerthProcess.StartAsync(Root, configFile: ConfigFile, cancellationToken: ct);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = Berth.BaseUri, Timeout = TimeSpan.FromSeconds(90) };
        return output;
    }

    /// <param name="proxySection">The <c>proxy</c> section, indented by two spaces; <c>{hub}</c> and <c>{private}</c> are the upstreams' URLs.</param>
    /// <param name="storageExtra">More of the <c>storage</c> section (such as <c>retention</c>), indented by two spaces.</param>
    public static async Task<MirrorRig> StartAsync(string proxySection, bool withPrivate, CancellationToken ct, string storageExtra = "")
    {
        var rig = new MirrorRig();
        try
        {
            rig.Hub = await DockerRegistryProcess.StartAsync(rig.HubRoot, ct);
            rig._upstreams.Add(rig.Hub);
            if (withPrivate)
            {
                var htpasswd = await CommandRunner.RunCheckedAsync("dotnet", [BerthProcess.BerthDll, "htpasswd", "-Bbn", UpstreamUser, UpstreamPassword], cancellationToken: ct);
                await File.WriteAllTextAsync(rig._temp.Combine("htpasswd"), htpasswd.StandardOutput.Trim() + "\n", ct);
                rig.Private = await DockerRegistryProcess.StartWithAuthAsync(rig._temp.Combine("private"), $"""
                      htpasswd:
                        realm: upstream
                        path: {rig._temp.Combine("htpasswd")}
                    """, ct);
                rig._upstreams.Add(rig.Private);
            }

            var config = rig.ConfigFile;
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: {rig.Root}
                  delete:
                    enabled: true
                {storageExtra}
                proxy:
                {proxySection.Replace("{hub}", rig.Hub.BaseUri.ToString().TrimEnd('/'), StringComparison.Ordinal)
                    .Replace("{private}", rig.Private?.BaseUri.ToString().TrimEnd('/') ?? "", StringComparison.Ordinal)}
                """, ct);
            rig.Berth = await BerthProcess.StartAsync(rig.Root, configFile: config, cancellationToken: ct);
            rig.Http = new HttpClient { BaseAddress = rig.Berth.BaseUri, Timeout = TimeSpan.FromSeconds(90) };
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Pushes a new image of random layers to <paramref name="reference"/> (<c>repo:tag</c>) of <paramref name="upstream"/>.</summary>
    public async Task<OciImageLayout> SeedAsync(DockerRegistryProcess upstream, string reference, CancellationToken ct, params int[] layerSizes)
    {
        var image = OciImageLayout.Create(_temp.Combine("layouts", Guid.NewGuid().ToString("N")), "seed", layerSizes);
        var credentials = upstream == Private ? ["--dest-creds", $"{UpstreamUser}:{UpstreamPassword}"] : Array.Empty<string>();
        await Skopeo.RunAsync(["copy", "--quiet", "--dest-tls-verify=false", .. credentials, image.Reference, $"docker://{upstream.HostPort}/{reference}"], ct);
        return image;
    }

    /// <summary>How many times berth fetched the blob from <paramref name="upstream"/>: GETs with status 200 in its access log.</summary>
    public static int BlobFetches(DockerRegistryProcess upstream, string repository, string digest) =>
        upstream.Output.Split('\n').Count(line => line.Contains($"\"GET /v2/{repository}/blobs/{digest} ", StringComparison.Ordinal)
            && AccessStatus().Match(line) is { Success: true } status && status.Groups[1].Value == "200");

    public async Task<HttpResponseMessage> GetAsync(string path, CancellationToken ct, string accept = OciImageLayout.ManifestMediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await Http.SendAsync(request, ct);
    }

    public async Task<string> ManifestDigestAsync(string path, CancellationToken ct)
    {
        using var response = await GetAsync(path, ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}\n{Berth.Output}");
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Berth is not null)
        {
            await Berth.DisposeAsync();
        }

        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }

        _temp.Dispose();
    }

    [GeneratedRegex("\" (\\d{3}) ")]
    private static partial Regex AccessStatus();
}
