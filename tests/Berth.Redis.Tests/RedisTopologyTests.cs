using System.Globalization;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>Reaching Redis through a Sentinel, as a Cluster, and over TLS with a client certificate and a private CA.</summary>
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
    public async Task Cluster_EveryMasterAddress_ReadsAndWritesKeysOnSeveralMasters()
    {
        await using var cluster = await RedisCluster.StartAsync(Ct);
        await using var connection = await RedisConnection.ConnectAsync(new RedisOptions { Addresses = cluster.Addresses }, NullLogger.Instance);

        await AssertStateWorksAsync(connection);
        await connection.PingAsync();
        // Twenty tags' links are twenty keys in (almost surely) different slots; deleting the repository tombstones
        // them all in one batch, which the client must split by node rather than send as one command.
        var app = RepositoryName.Parse("team/app");
        var driver = RedisState.CacheLinks(new InMemoryDriver(), connection);
        for (var i = 0; i < 20; i++)
        {
            await driver.WriteAllAsync(RegistryPaths.TagCurrentLink(app, Tag.Parse($"v{i}")), "sha256:0"u8.ToArray(), Ct);
        }

        await driver.DeleteAsync(RegistryPaths.Repository(app), Ct);

        var keysPerMaster = (await cluster.CliOnEachAsync(["DBSIZE"], Ct)).Select(size => long.Parse(size, CultureInfo.InvariantCulture));
        Assert.True(keysPerMaster.Count(keys => keys > 0) > 1, "keys on one master only: " + string.Join(",", keysPerMaster));
        // The catalog's two keys, read in one batch, share a slot (the hash tag).
        var anyMaster = cluster.Masters[0];
        Assert.Equal(await anyMaster.CliAsync(["CLUSTER", "KEYSLOT", "berth:{catalog}:names"], Ct),
            await anyMaster.CliAsync(["CLUSTER", "KEYSLOT", "berth:{catalog}:filled"], Ct));
    }

    [Fact]
    public async Task Cluster_AMasterStopped_PingFailsUntilItIsBack()
    {
        await using var cluster = await RedisCluster.StartAsync(Ct);
        await using var connection = await RedisConnection.ConnectAsync(new RedisOptions { Addresses = cluster.Addresses }, NullLogger.Instance);
        await connection.PingAsync();

        // The other two still answer PING; only cluster_state says a third of the slots has no master.
        await cluster.Masters[2].StopAsync();
        await Readiness.WaitUntilAsync(async () => !await Probe.PassesAsync(connection), TimeSpan.FromSeconds(60), "the probe to see the cluster down", Ct);
        await cluster.Masters[2].StartAgainAsync(Ct);
        await Readiness.WaitUntilAsync(() => Probe.PassesAsync(connection), TimeSpan.FromSeconds(60), "the probe to see the cluster back", Ct);
    }

    [Fact]
    public async Task Cluster_DatabaseOtherThanZero_PingSaysWhy()
    {
        await using var cluster = await RedisCluster.StartAsync(Ct);
        await using var connection = await RedisConnection.ConnectAsync(
            new RedisOptions { Addresses = cluster.Addresses, Database = 1 }, NullLogger.Instance);

        var failure = await Assert.ThrowsAsync<ServiceUnavailableException>(() => connection.PingAsync());
        Assert.Contains("redis.db", failure.Message, StringComparison.Ordinal);
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
