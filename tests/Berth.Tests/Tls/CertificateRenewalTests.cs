using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Berth.Configuration;
using Berth.Hosting.Tls;
using Berth.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Berth.Tests.Tls;

/// <summary>A renewed certificate is served without a restart.</summary>
public sealed class CertificateRenewalTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-tls-renewal");
    private readonly X509Certificate2 _authority = TestCertificates.Authority("Berth Test CA");
    private readonly ManualTime _time = new();

    public void Dispose()
    {
        _authority.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Process_FilesReplaced_NewHandshakesPresentTheNewCertificate()
    {
        var (certificate, key) = WriteServer("first");
        var environment = new Dictionary<string, string> { ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate, ["REGISTRY_HTTP_TLS_KEY"] = key };
        await using var berth = await BerthProcess.StartTlsAsync(_folder.Combine("registry"), () => TestCertificates.Handler(_authority),
            environment, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("CN=first", await PresentedSubjectAsync(berth));

        WriteServer("second");

        var clock = Stopwatch.StartNew();
        string? subject;
        while ((subject = await PresentedSubjectAsync(berth)) != "CN=second" && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal("CN=second", subject);
        Assert.False(berth.HasExited);
    }

    [Fact]
    public void Source_FilesChanged_ReloadsOnlyAfterTheCheckInterval()
    {
        var (certificate, key) = WriteServer("first");
        var source = new ServerCertificateSource(certificate, key, _time, NullLogger.Instance);

        WriteServer("second");
        Assert.Equal("CN=first", source.Current.TargetCertificate.Subject);

        _time.Advance(ServerCertificateSource.CheckInterval);
        Assert.Equal("CN=second", source.Current.TargetCertificate.Subject);
    }

    [Fact]
    public void Source_HalfWrittenRenewal_KeepsServingTheOldPairUntilTheKeyArrives()
    {
        var (certificate, key) = WriteServer("first");
        var source = new ServerCertificateSource(certificate, key, _time, NullLogger.Instance);
        using var renewed = TestCertificates.Server(_authority, "second");
        var (newCertificate, newKey) = TestCertificates.WritePem(renewed, _folder.Path, "staging");

        File.Copy(newCertificate, certificate, overwrite: true);
        _time.Advance(ServerCertificateSource.CheckInterval);
        Assert.Equal("CN=first", source.Current.TargetCertificate.Subject);

        File.Copy(newKey, key, overwrite: true);
        _time.Advance(ServerCertificateSource.CheckInterval);
        Assert.Equal("CN=second", source.Current.TargetCertificate.Subject);
    }

    [Fact]
    public void Source_RenewedPairWithTheOldTimesAndSizes_Reloaded()
    {
        // What cp -p, or a rewrite within one tick of the file system's clock, leaves: new bytes, old time and size.
        var (certificate, key) = WriteServer("first");
        var times = (File.GetLastWriteTimeUtc(certificate), File.GetLastWriteTimeUtc(key));
        var source = new ServerCertificateSource(certificate, key, _time, NullLogger.Instance);
        // Signatures vary in length: issue until both files of the new pair are exactly as long as the old ones.
        X509Certificate2 renewed;
        string newCertificate, newKey;
        var attempts = 0;
        do
        {
            Assert.True(++attempts < 100, "no renewed pair of the old sizes");
            renewed = TestCertificates.Server(_authority, "first");
            (newCertificate, newKey) = TestCertificates.WritePem(renewed, _folder.Path, "staging");
        }
        while (new FileInfo(newCertificate).Length != new FileInfo(certificate).Length || new FileInfo(newKey).Length != new FileInfo(key).Length);

        File.Copy(newCertificate, certificate, overwrite: true);
        File.Copy(newKey, key, overwrite: true);
        File.SetLastWriteTimeUtc(certificate, times.Item1);
        File.SetLastWriteTimeUtc(key, times.Item2);
        _time.Advance(ServerCertificateSource.CheckInterval);

        Assert.Equal(renewed.Thumbprint, source.Current.TargetCertificate.Thumbprint);
        renewed.Dispose();
    }

    [Fact]
    public void Source_BadPairAtStart_NamesTheKey()
    {
        var (certificate, _) = WriteServer("first");

        var error = Assert.Throws<ConfigurationException>(() => new ServerCertificateSource(certificate, certificate, _time, NullLogger.Instance));

        Assert.Equal("http.tls.key", error.Key);
    }

    private (string Certificate, string Key) WriteServer(string name)
    {
        using var server = TestCertificates.Server(_authority, name);
        return TestCertificates.WritePem(server, _folder.Path, "server");
    }

    private async Task<string?> PresentedSubjectAsync(BerthProcess berth)
    {
        string? subject = null;
        await TlsServerTests.GetAsync(berth, TestCertificates.Handler(_authority, presented: c => subject = c.Subject));
        return subject;
    }

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
