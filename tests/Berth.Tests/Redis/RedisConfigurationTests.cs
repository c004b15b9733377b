using Berth.Configuration;
using Berth.Redis;
using Berth.Tests.Configuration;
using Xunit;

namespace Berth.Tests.Redis;

/// <summary><c>redis</c>: registry:2's and registry:3's keys, in the file and as REGISTRY_REDIS_* variables.</summary>
public sealed class RedisConfigurationTests
{
    [Fact]
    public void Load_Absent_NoRedis()
    {
        Assert.Null(ConfigYaml.Bind(ConfigYaml.Minimal).Redis);
    }

    [Fact]
    public void Load_Registry2Keys_BoundWithoutWarnings()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + """

            redis:
              addr: redis.internal:6380
              password: s3cret
              db: 2
              dialtimeout: 10ms
              readtimeout: 1500ms
              writetimeout: 2s
              tls:
                enabled: true
              pool:
                maxidle: 16
                maxactive: 64
                idletimeout: 300s
            """);

        Assert.Empty(warnings);
        var redis = configuration.Redis!;
        Assert.Equal(["redis.internal:6380"], redis.Addresses);
        Assert.Equal(("s3cret", 2, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2)), (redis.Password, redis.Database, redis.DialTimeout, redis.CommandTimeout));
        Assert.NotNull(redis.Tls);
        Assert.Null(redis.MasterName);
    }

    [Fact]
    public void Load_Registry3SentinelKeys_Bound()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + """

            redis:
              addrs: [sentinel-a:26379, sentinel-b:26379]
              mastername: mymaster
              username: berth
              password: pw
              poolsize: 10
              maxretries: 3
            """);

        var redis = configuration.Redis!;
        Assert.Equal(["sentinel-a:26379", "sentinel-b:26379"], redis.Addresses);
        Assert.Equal(("mymaster", "berth"), (redis.MasterName, redis.Username));
        Assert.Equal((RedisOptions.DefaultDialTimeout, RedisOptions.DefaultCommandTimeout), (redis.DialTimeout, redis.CommandTimeout));
    }

    [Theory]
    [InlineData("rootcas")]
    [InlineData("clientcas")]
    public void Load_TlsCertificateAndEitherCaSpelling_Bound(string caKey)
    {
        using var temp = new TestKit.TempDirectory("berth-redis-config");
        foreach (var file in (string[])["ca.pem", "client.pem", "client.key"])
        {
            File.WriteAllText(temp.Combine(file), "x");
        }

        var redis = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_REDIS_ADDRS", "[127.0.0.1:6379]"),
            ("REGISTRY_REDIS_TLS_CERTIFICATE", temp.Combine("client.pem")), ("REGISTRY_REDIS_TLS_KEY", temp.Combine("client.key")),
            ($"REGISTRY_REDIS_TLS_{caKey.ToUpperInvariant()}", $"[{temp.Combine("ca.pem")}]")).Redis!;

        var tls = redis.Tls!;
        Assert.Equal((temp.Combine("client.pem"), temp.Combine("client.key")), (tls.CertificatePath, tls.KeyPath));
        Assert.Equal([temp.Combine("ca.pem")], tls.RootCaPaths);
    }

    [Fact]
    public void Load_AddrVariable_Bound()
    {
        var redis = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_REDIS_ADDR", "127.0.0.1:6390"), ("REGISTRY_REDIS_DB", "3")).Redis!;

        Assert.Equal(["127.0.0.1:6390"], redis.Addresses);
        Assert.Equal(3, redis.Database);
    }

    [Theory]
    [InlineData("redis:\n  password: x\n", "redis.addr")]
    [InlineData("redis:\n  addr: a:1\n  db: -1\n", "redis.db")]
    [InlineData("redis:\n  addr: a:1\n  dialtimeout: soon\n", "redis.dialtimeout")]
    [InlineData("redis:\n  addr: a:1\n  tls:\n    certificate: /nowhere/client.pem\n", "redis.tls.key")]
    [InlineData("redis:\n  addr: a:1\n  tls:\n    rootcas: [/nowhere/ca.pem]\n", "redis.tls.rootcas")]
    public void Load_BadValue_ErrorNamesTheKey(string yaml, string key)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\n" + yaml);

        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownRedisKey_IsAWarning()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nredis:\n  addr: a:1\n  colour: blue\n");

        Assert.Equal(["redis.colour: unknown key; ignored"], warnings);
    }

    [Fact]
    public void Load_BlobDescriptorRedisWithRedis_NoWarning()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n  cache:\n    blobdescriptor: redis\nredis:\n  addr: a:1\n");

        Assert.Empty(warnings);
        Assert.Equal("redis", configuration.Storage.BlobDescriptorCache);
    }

    [Fact]
    public void Load_BlobDescriptorRedisWithoutRedis_WarnsThatTheSectionIsMissing()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n  cache:\n    blobdescriptor: redis\n");

        Assert.Contains("needs a redis section", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CatalogRefreshInterval_Bound()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\ncatalog:\n  refreshinterval: 15s\n");

        Assert.Equal(TimeSpan.FromSeconds(15), configuration.Listings.CatalogRefreshInterval);
    }
}
