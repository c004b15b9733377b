using System.Net.Security;
using System.Security.Cryptography;
using Berth.Configuration;

namespace Berth.Hosting.Tls;

/// <summary>
/// The server certificate for each TLS handshake, reloaded when its files change so that a renewed certificate
/// (certbot, cert-manager) is served without a restart. The files are looked at no more than once per
/// <see cref="CheckInterval"/>, so a handshake normally costs one clock read.
/// </summary>
/// <remarks>
/// A renewal that is half written (new certificate, old key) fails to load: the previous certificate stays in
/// service, a warning is logged, and the pair is tried again when either file changes once more.
/// </remarks>
internal sealed partial class ServerCertificateSource
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _checking = new();
    private SslStreamCertificateContext _current;
    private string _loadedStamp;
    private long _nextCheck;

    /// <summary>Loads the pair now, so that a bad file stops the start.</summary>
    /// <exception cref="ConfigurationException">A file is unreadable or the pair does not match.</exception>
    public ServerCertificateSource(string certificatePath, string keyPath, TimeProvider time, ILogger logger)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _time = time;
        _logger = logger;
        _loadedStamp = Stamp();
        _current = PemCertificateLoader.LoadServerCertificate(certificatePath, keyPath);
        _nextCheck = time.GetTimestamp() + Ticks(CheckInterval);
    }

    public SslStreamCertificateContext Current
    {
        get
        {
            var now = _time.GetTimestamp();
            if (now >= Volatile.Read(ref _nextCheck) && _checking.TryEnter())
            {
                // One handshake checks; the others keep going with the current certificate meanwhile.
                try
                {
                    Volatile.Write(ref _nextCheck, now + Ticks(CheckInterval));
                    ReloadIfChanged();
                }
                finally
                {
                    _checking.Exit();
                }
            }

            return Volatile.Read(ref _current);
        }
    }

    private void ReloadIfChanged()
    {
        var stamp = Stamp();
        if (stamp == _loadedStamp)
        {
            return;
        }

        _loadedStamp = stamp;
        try
        {
            var renewed = PemCertificateLoader.LoadServerCertificate(_certificatePath, _keyPath);
            Volatile.Write(ref _current, renewed);
            LogReloaded(_logger, renewed.TargetCertificate.Subject, renewed.TargetCertificate.NotAfter, _certificatePath);
        }
        catch (ConfigurationException e)
        {
            LogReloadFailed(_logger, e.Message);
        }
    }

    /// <summary>
    /// What identifies the files' content: for symlinks (Kubernetes secrets swap a <c>..data</c> link) the final
    /// target, and a hash of the bytes. Modification time and size are not enough: a key of the same size rewritten
    /// within one tick of the file system's clock (or copied with its time kept, <c>cp -p</c>) looks unchanged, which
    /// is how a test saw a renewed key ignored. Two files of a few KiB, read at most once a second, cost nothing.
    /// </summary>
    private string Stamp() => $"{FileStamp(_certificatePath)}|{FileStamp(_keyPath)}";

    private static string FileStamp(string path)
    {
        try
        {
            var file = new FileInfo(path);
            var target = file.LinkTarget is null ? path : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            var resolved = target is null ? file : new FileInfo(target);
            return resolved.Exists ? $"{target}:{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(resolved.FullName)))}" : "missing";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, valid until {NotAfter:u}, from {Path}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate files changed but cannot be used; still serving the previous certificate: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
