using Xunit;

namespace Berth.Tests.Configuration;

public sealed class ProxyConfigurationTests
{
    [Fact]
    public void Load_NoProxy_MirrorsNothing()
    {
        Assert.False(ConfigYaml.Bind(ConfigYaml.Minimal).Proxy.IsActive);
    }

    [Fact]
    public void Load_Registry2Keys_OneRemoteWithoutPrefix()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + """

            proxy:
              remoteurl: https://registry-1.docker.io
              username: hubuser
              password: hubpass
              ttl: 10m
            """);

        Assert.Empty(warnings);
        var remote = Assert.Single(configuration.Proxy.Remotes);
        Assert.Equal(("registry-1.docker.io", new Uri("https://registry-1.docker.io"), (string?)null), (remote.Name, remote.Url, remote.Prefix));
        Assert.Equal(("hubuser", "hubpass", TimeSpan.FromMinutes(10)), (remote.Username, remote.Password, remote.Ttl));
    }

    [Fact]
    public void Load_RemoteUrlFromEnvironment_AsRegistry2Reads()
    {
        var remote = Assert.Single(ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_PROXY_REMOTEURL", "http://upstream:5000")).Proxy.Remotes);

        Assert.Equal(new Uri("http://upstream:5000"), remote.Url);
        Assert.Equal(TimeSpan.Zero, remote.Ttl);
    }

    [Fact]
    public void Load_Remotes_BindEveryKey()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + """

            proxy:
              remotes:
                - name: ghcr.io
                  url: https://ghcr.io
                  prefix: /ghcr/
                  exec:
                    command: docker-credential-ghcr
                    lifetime: 1h
                  tlsverify: false
                  cacerts: [/etc/ca.pem]
                  maxconcurrent: 4
                  ttl: 30s
                - url: https://quay.io
                  prefix: quay
            """);

        Assert.Empty(warnings);
        var (ghcr, quay) = (configuration.Proxy.Remotes[0], configuration.Proxy.Remotes[1]);
        Assert.Equal(("ghcr.io", "ghcr", false, 4), (ghcr.Name, ghcr.Prefix, ghcr.TlsVerify, ghcr.MaxConcurrent));
        Assert.Equal(new Berth.Configuration.ProxyExecSettings("docker-credential-ghcr", TimeSpan.FromHours(1)), ghcr.Exec);
        Assert.Equal(["/etc/ca.pem"], ghcr.CaCertificates);
        Assert.Equal(("quay.io", true, 32), (quay.Name, quay.TlsVerify, quay.MaxConcurrent));
    }

    [Fact]
    public void Load_LongTtl_WarnsOfWhatItMeansHere()
    {
        var warning = Assert.Single(ConfigYaml.Load(ConfigYaml.Minimal + "\nproxy:\n  remoteurl: https://registry-1.docker.io\n  ttl: 168h\n").Warnings);

        Assert.StartsWith("proxy.ttl: Berth serves a cached tag for ttl (168h)", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  remoteurl: ftp://x\n", "proxy.remoteurl")]
    [InlineData("  remoteurl: https://a.io\n  username: u\n", "proxy.password")]
    [InlineData("  remotes:\n    - prefix: x\n", "proxy.remotes.0.url")]
    [InlineData("  remotes:\n    - url: https://a.io\n      prefix: Bad!\n", "proxy.remotes.0.prefix")]
    [InlineData("  remoteurl: https://a.io\n  remotes:\n    - url: https://b.io\n", "proxy.remotes")]
    [InlineData("  remotes:\n    - url: https://a.io\n      prefix: x\n    - url: https://b.io\n      prefix: x\n", "proxy.remotes")]
    [InlineData("  remoteurl: https://a.io\n  username: u\n  password: p\n  exec:\n    command: helper\n", "proxy.exec")]
    public void Load_BadProxy_NamesTheKey(string section, string key)
    {
        Assert.Equal(key, ConfigYaml.Error(ConfigYaml.Minimal + "\nproxy:\n" + section).Key);
    }

    [Fact]
    public void Load_Local_KeepsThoseNamesFromTheUnprefixedRemote()
    {
        var proxy = ConfigYaml.Bind(ConfigYaml.Minimal + "\nproxy:\n  remoteurl: https://registry-1.docker.io\n  local: [\"team/**\", ci]\n").Proxy;

        Assert.Null(proxy.Router().Route(Core.RepositoryName.Parse("team/app")));
        Assert.Null(proxy.Router().Route(Core.RepositoryName.Parse("ci")));
        Assert.NotNull(proxy.Router().Route(Core.RepositoryName.Parse("library/nginx")));
    }

    [Fact]
    public void Load_LocalWithoutAnUnprefixedRemote_WarnsItChangesNothing()
    {
        var warning = Assert.Single(ConfigYaml.Load(ConfigYaml.Minimal + "\nproxy:\n  remotes:\n    - url: https://ghcr.io\n      prefix: ghcr\n  local: [\"team/**\"]\n").Warnings);

        Assert.StartsWith("proxy.local: every remote has a prefix", warning, StringComparison.Ordinal);
    }
}

