using Berth.Configuration;
using Berth.Storage.BlobCache;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>storage.cache.blobs</c>: a node's copies of the blobs it serves, for object stores only.</summary>
public sealed class BlobCacheConfigurationTests
{
    private const string OnS3 = ConfigYaml.S3Endpoint;

    [Fact]
    public void Load_Absent_Off()
    {
        Assert.Null(ConfigYaml.Bind(OnS3).Storage.BlobCache);
    }

    [Fact]
    public void Load_DirectoryAndSizeByVariables_OnWithThatLimit()
    {
        var (configuration, warnings) = ConfigYaml.Load(OnS3,
            ("REGISTRY_STORAGE_CACHE_BLOBS_DIRECTORY", "/var/cache/berth"), ("REGISTRY_STORAGE_CACHE_BLOBS_MAXSIZE", "20GiB"));

        Assert.Empty(warnings);
        Assert.Equal(new NodeBlobCacheOptions { Directory = "/var/cache/berth", MaxBytes = 20L << 30 }, configuration.Storage.BlobCache);
    }

    [Fact]
    public void Load_DirectoryOnly_TenGiB()
    {
        var cache = ConfigYaml.Bind(OnS3 + "\n  cache:\n    blobdescriptor: redis\n    blobs:\n      directory: /var/cache/berth\n").Storage.BlobCache;

        Assert.Equal(10L << 30, cache?.MaxBytes);
    }

    [Theory]
    [InlineData("1048576", 1L << 20)]
    [InlineData("500 MiB", 500L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("1TiB", 1L << 40)]
    [InlineData("64KB", 64L << 10)]
    public void Load_Sizes_ReadAsPowersOf1024(string text, long bytes)
    {
        var cache = ConfigYaml.Bind(OnS3, ("REGISTRY_STORAGE_CACHE_BLOBS_DIRECTORY", "/cache"), ("REGISTRY_STORAGE_CACHE_BLOBS_MAXSIZE", text)).Storage.BlobCache;

        Assert.Equal(bytes, cache?.MaxBytes);
    }

    [Theory]
    [InlineData("MAXSIZE", "lots")]
    [InlineData("MAXSIZE", "-5GiB")]
    [InlineData("MAXSIZE", "99999999999TiB")]
    [InlineData("DIRECTORY", "cache/relative")]
    public void Load_NotUsable_NamesKey(string key, string value)
    {
        var environment = new Dictionary<string, string> { ["REGISTRY_STORAGE_CACHE_BLOBS_DIRECTORY"] = "/cache" };
        environment["REGISTRY_STORAGE_CACHE_BLOBS_" + key] = value;

        var error = ConfigYaml.Error(OnS3, [.. environment.Select(variable => (variable.Key, variable.Value))]);

        Assert.Equal("storage.cache.blobs." + key.ToLowerInvariant(), error.Key);
    }

    [Fact]
    public void Load_OnAFilesystem_WarnedAndOff()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal, ("REGISTRY_STORAGE_CACHE_BLOBS_DIRECTORY", "/var/cache/berth"));

        Assert.Null(configuration.Storage.BlobCache);
        Assert.Contains(warnings, warning => warning.Contains("storage.cache.blobs.directory", StringComparison.Ordinal)
            && warning.Contains("filesystem", StringComparison.Ordinal));
    }
}
