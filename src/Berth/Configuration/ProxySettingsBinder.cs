namespace Berth.Configuration;

/// <summary>
/// Binds <c>proxy</c>: registry:2's <c>remoteurl</c>, <c>username</c>, <c>password</c>, <c>ttl</c> and registry:3's
/// <c>exec</c>, and Berth's <c>remotes[]</c> with the same keys plus <c>name</c>, <c>url</c>, <c>prefix</c>,
/// <c>tlsverify</c>, <c>cacerts</c> and <c>maxconcurrent</c>, and <c>local</c>.
/// </summary>
internal static class ProxySettingsBinder
{
    /// <summary>Above this, a <c>ttl</c> was most likely written with registry:2's meaning (when cached content expires).</summary>
    private static readonly TimeSpan LongTtl = TimeSpan.FromHours(24);

    public static ProxySettings Bind(ConfigSection proxy)
    {
        var remotes = new List<ProxyRemoteSettings>();
        if (proxy.GetString("remoteurl") is { } remoteUrl)
        {
            var url = Url(proxy, "remoteurl", remoteUrl);
            remotes.Add(Credentials(proxy, new ProxyRemoteSettings(url.Host, url, Prefix: null)));
        }

        remotes.AddRange(proxy.GetSectionList("remotes").Select(BindRemote));
        var settings = new ProxySettings { Remotes = remotes, Local = proxy.GetRepositoryGlobs("local") ?? [] };
        Check(proxy, settings);
        if (settings.Local.Count > 0 && remotes.All(remote => remote.Prefix is not null))
        {
            proxy.Warn("local", "every remote has a prefix, so every other repository is local already");
        }

        proxy.WarnUnknownKeys();
        return settings;
    }

    private static ProxyRemoteSettings BindRemote(ConfigSection remote)
    {
        var url = Url(remote, "url", remote.GetString("url") ?? throw new ConfigurationException(remote.KeyPath("url"), "missing: the upstream registry's URL, e.g. https://ghcr.io"));
        var prefix = remote.GetString("prefix")?.Trim('/');
        var settings = Credentials(remote, new ProxyRemoteSettings(remote.GetString("name") ?? url.Authority, url, string.IsNullOrEmpty(prefix) ? null : prefix)
        {
            TlsVerify = remote.GetBool("tlsverify", fallback: true),
            CaCertificates = remote.GetStringList("cacerts") ?? [],
            MaxConcurrent = remote.GetInt("maxconcurrent", minimum: 1) ?? ProxyRemoteSettings.DefaultMaxConcurrent,
        });
        if (settings.Prefix is { } given && !Core.RepositoryName.TryParse(given, out _))
        {
            throw new ConfigurationException(remote.KeyPath("prefix"), $"'{given}' is not the start of a repository name (lower-case letters, digits, separators)");
        }

        remote.WarnUnknownKeys();
        return settings;
    }

    /// <summary>The keys registry:2's proxy section and each remote share.</summary>
    private static ProxyRemoteSettings Credentials(ConfigSection section, ProxyRemoteSettings remote)
    {
        var ttl = section.GetDuration("ttl", positive: false) ?? TimeSpan.Zero;
        if (ttl > LongTtl)
        {
            section.Warn("ttl", $"Berth serves a cached tag for ttl ({ttl.TotalHours:0.#}h) without asking the upstream whether it moved; "
                + "registry:2 used ttl for when cached content expires, which Berth leaves to garbage collection and retention");
        }

        var username = section.GetString("username");
        var password = section.GetString("password");
        if ((username is null) != (password is null))
        {
            throw new ConfigurationException(section.KeyPath(username is null ? "username" : "password"), "username and password go together");
        }

        var exec = section.GetSection("exec");
        ProxyExecSettings? helper = null;
        if (exec.GetString("command") is { } command)
        {
            helper = new ProxyExecSettings(command, exec.GetDuration("lifetime", positive: false) ?? TimeSpan.Zero);
        }

        exec.WarnUnknownKeys();
        if (helper is not null && username is not null)
        {
            throw new ConfigurationException(section.KeyPath("exec"), "give either username and password or exec, not both");
        }

        return remote with { Ttl = ttl, Username = username, Password = password, Exec = helper };
    }

    private static Uri Url(ConfigSection section, string key, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0
            ? url
            : throw new ConfigurationException(section.KeyPath(key), $"expected an http or https URL such as https://registry-1.docker.io, got '{text}'");

    /// <summary>The router refuses what cannot be routed: two remotes of one name or prefix, or two without a prefix.</summary>
    private static void Check(ConfigSection proxy, ProxySettings settings)
    {
        try
        {
            _ = settings.Router();
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(proxy.KeyPath("remotes"), e.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
