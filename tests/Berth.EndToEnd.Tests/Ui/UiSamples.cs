using System.Text;
using System.Text.Json.Nodes;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>The artifacts the web page is shown: a fully described image, a hostile one, referrers and a Helm chart.</summary>
internal static class UiSamples
{
    public const string SignatureType = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public const string SbomType = "application/spdx+json";
    public const string HelmConfigType = "application/vnd.cncf.helm.config.v1+json";
    public const string HelmChartType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    /// <summary>What a page must show as text, never run: a script element and a javascript: URL in labels.</summary>
    public const string ScriptLabel = "<script>window.__pwned=1</script>";
    public const string JavascriptUrl = "javascript:alert(1)";

    /// <summary>An image with every config field the Configuration section lists, and a history of three steps.</summary>
    public static OciArtifact WebImage(string variant) => OciArtifact.Image(new JsonObject
    {
        ["created"] = "2025-06-01T12:00:00Z",
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["author"] = "Berth tests",
        ["config"] = new JsonObject
        {
            ["Entrypoint"] = new JsonArray("/usr/bin/web"),
            ["Cmd"] = new JsonArray("--port", "8080"),
            ["Env"] = new JsonArray("PATH=/usr/bin:/bin", "WEB_MODE=production"),
            ["ExposedPorts"] = new JsonObject { ["8080/tcp"] = new JsonObject() },
            ["WorkingDir"] = "/srv/web",
            ["User"] = "web",
            ["Labels"] = new JsonObject { ["org.opencontainers.image.title"] = "web " + variant },
        },
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray("sha256:" + new string('a', 64), "sha256:" + new string('b', 64)) },
        ["history"] = new JsonArray(
            new JsonObject { ["created"] = "2025-06-01T11:00:00Z", ["created_by"] = "ADD rootfs.tar.gz /" },
            new JsonObject { ["created"] = "2025-06-01T11:30:00Z", ["created_by"] = "COPY web /usr/bin/web" },
            new JsonObject { ["created"] = "2025-06-01T12:00:00Z", ["created_by"] = "ENV WEB_MODE=production", ["empty_layer"] = true }),
    }, OciArtifact.TarGz(("etc/os-release", "ID=test\n" + variant)), OciArtifact.TarGz(("usr/bin/web", "#!/bin/sh\necho " + variant)));

    /// <summary>An image whose labels and annotations are markup and a script URL.</summary>
    public static OciArtifact HostileImage()
    {
        var config = new JsonObject
        {
            ["created"] = "2025-06-02T00:00:00Z",
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Labels"] = new JsonObject
                {
                    ["org.opencontainers.image.description"] = ScriptLabel,
                    ["org.opencontainers.image.url"] = JavascriptUrl,
                    ["org.opencontainers.image.source"] = JavascriptUrl,
                },
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray("sha256:" + new string('c', 64)) },
            ["history"] = new JsonArray(new JsonObject { ["created_by"] = ScriptLabel }),
        };
        // Manifest annotations too: pages often turn image.url and image.documentation into links.
        return OciArtifact.Build(OciImageLayout.ConfigMediaType, Encoding.UTF8.GetBytes(config.ToJsonString()),
            [(OciImageLayout.LayerMediaType, OciArtifact.TarGz(("hostile.txt", ScriptLabel)))],
            annotations: new JsonObject
            {
                ["org.opencontainers.image.url"] = JavascriptUrl,
                ["org.opencontainers.image.documentation"] = JavascriptUrl,
                ["org.opencontainers.image.description"] = ScriptLabel,
            });
    }

    /// <summary>A cosign signature of <paramref name="subject"/>, as cosign 2 pushes it in referrers mode.</summary>
    public static OciArtifact Signature(OciArtifact subject) => OciArtifact.Referrer(SignatureType, subject,
        "application/vnd.dev.cosign.simplesigning.v1+json",
        $$"""{"critical":{"identity":{"docker-reference":"apps/web"},"image":{"docker-manifest-digest":"{{subject.Digest}}"},"type":"cosign container image signature"},"optional":null}""",
        new JsonObject { ["dev.cosignproject.cosign/signature"] = "MEUCIQDtest", ["org.opencontainers.image.created"] = "2025-06-01T12:05:00Z" });

    /// <summary>An SPDX SBOM of <paramref name="subject"/>, as oras attach pushes it.</summary>
    public static OciArtifact Sbom(OciArtifact subject) => OciArtifact.Referrer(SbomType, subject, SbomType,
        """{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"apps/web","packages":[]}""",
        new JsonObject { ["org.opencontainers.image.created"] = "2025-06-01T12:06:00Z" });

    /// <summary>A Helm chart as <c>helm push</c> stores it: the chart's metadata as config, the .tgz as the one layer.</summary>
    public static OciArtifact HelmChart() => OciArtifact.Build(HelmConfigType,
        """{"name":"mychart","version":"0.1.0","description":"A chart the web page shows","apiVersion":"v2","appVersion":"1.16.0","type":"application"}"""u8.ToArray(),
        [(HelmChartType, OciArtifact.TarGz(("mychart/Chart.yaml", "apiVersion: v2\nname: mychart\nversion: 0.1.0\n"),
            ("mychart/values.yaml", "replicaCount: 1\n")))],
        annotations: new JsonObject { ["org.opencontainers.image.title"] = "mychart", ["org.opencontainers.image.version"] = "0.1.0" });
}
