using Berth.Core;
using Berth.Core.Errors;
using Berth.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>Reaching Redis through a Sentinel, and over TLS with a client certificate and a private CA.</summary>
public sealed class RedisTopologyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sentinel_MasterNameAndSentinelAddress_ReadsAndWritesTheMaster()
    {
        await using var sentinel = await RedisSentinel.StartAsync(Ct);
        await using var connection = await RedisConnection.ConnectAsync(
            new RedisOptions { Addresses = [sentinel.Address], MasterName = RedisSentinel.MasterName }, NullLogger.Instance);

        await AssertStateWorksAsync(connection);
        Assert.Contains("team/app", await sentinel.Master.CliAsync(["ZRANGE", "berth:{catalog}:names", "0", "-1"], Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_ClientCertificateAndRootCa_ReadsAndWrites()
    {
        await using var server = await RedisServer.StartAsync(tls: true, cancellationToken: Ct);
        var tls = server.Tls!;
        await using var connection = await RedisConnection.ConnectAsync(new RedisOptions
        {
            Addresses = [server.Address],
            Tls = new RedisTlsOptions { CertificatePath = tls.ClientCertificate, KeyPath = tls.ClientKey, RootCaPaths = [tls.CaCertificate] },
        }, NullLogger.Instance);

        await AssertStateWorksAsync(connection);
    }

    [Fact]
    public async Task Tls_ServerCertificateFromAnUnknownCa_Refused()
    {
        await using var server = await RedisServer.StartAsync(tls: true, cancellationToken: Ct);
        var tls = server.Tls!;
        var otherCa = await TestCertificateAuthority.CreateAsync(Path.Combine(Path.GetDirectoryName(tls.CaCertificate)!, "other"), Ct);
        await using var connection = await RedisConnection.ConnectAsync(new RedisOptions
        {
            Addresses = [server.Address],
            Tls = new RedisTlsOptions { CertificatePath = tls.ClientCertificate, KeyPath = tls.ClientKey, RootCaPaths = [otherCa.CertificateFile] },
        }, NullLogger.Instance);

        Assert.False(connection.IsConnected);
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => connection.PingAsync());
    }

    private static async Task AssertStateWorksAsync(RedisConnection connection)
    {
        Assert.True(connection.IsConnected);
        using var state = RedisState.Create(connection, NullLogger.Instance);
        await state.Catalog.AddAsync(RepositoryName.Parse("team/app"), Ct);
        Assert.Equal(["team/app"], (await state.Catalog.PageAsync(null, 10, Ct)).Names);
    }
}
