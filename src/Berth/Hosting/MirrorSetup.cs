using Berth.Configuration;
using Berth.Core.Stores;
using Berth.Proxy.Mirror;
using Berth.Proxy.Routing;
using Berth.Proxy.Upstream;

namespace Berth.Hosting;

/// <summary>Makes the pull-through cache of <c>proxy</c>: one client per upstream, in front of the local store.</summary>
internal static class MirrorSetup
{
    /// <summary>How long an upstream may take to answer a request's headers before it counts as unavailable.</summary>
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(20);

    public static MirrorStore Create(ProxySettings proxy, StorageSettings storage, IRegistryStore local, CancellationToken stopping)
    {
        var remotes = proxy.Remotes.Select(remote => remote.ToRemote()).ToList();
        var mirrors = proxy.Remotes.Zip(remotes, (settings, remote) => new UpstreamMirror(remote,
            new UpstreamRegistry(remote.Url, Credentials(settings), ResponseTimeout, TimeProvider.System,
                UpstreamTransport.Create(settings.TlsVerify, settings.CaCertificates, ResponseTimeout)),
            settings.Ttl, settings.MaxConcurrent, slotWait: ResponseTimeout));
        return new MirrorStore(local, proxy.Router(), mirrors, SpoolFolder(storage), TimeProvider.System, stopping);
    }

    /// <summary>
    /// Where blobs on their way in are written: inside the storage root on a filesystem (nothing is written outside it),
    /// in a folder of this process under the temporary folder on an object store. Emptied at start: a spool of a
    /// stopped process is never finished.
    /// </summary>
    private static string SpoolFolder(StorageSettings storage)
    {
        var folder = storage.Driver == StorageDriverKind.Filesystem
            ? Path.Combine(storage.RootDirectory, "docker", "registry", "v2", "_berth", "spool")
            : Path.Combine(Path.GetTempPath(), $"berth-spool-{Environment.ProcessId}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return folder;
    }

    private static IUpstreamCredentialSource? Credentials(ProxyRemoteSettings settings) =>
        settings.Exec is { } exec ? new CredentialHelper(exec.Command, settings.Url.Host, exec.Lifetime, TimeProvider.System)
        : settings.Username is { } username ? new UpstreamCredentials(username, settings.Password!)
        : null;
}
