using Berth.Configuration;
using Berth.Storage.S3;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>storage.s3</c>: registry:2's keys, defaults and limits, its variables, and the keys Berth cannot honour.</summary>
public sealed class S3ConfigurationTests
{
    private const string Endpoint = ConfigYaml.S3Endpoint;

    [Fact]
    public void Load_EndpointAndBucket_Registry2Defaults()
    {
        var (configuration, warnings) = ConfigYaml.Load(Endpoint);

        Assert.Empty(warnings);
        Assert.Equal(StorageDriverKind.S3, configuration.Storage.Driver);
        Assert.Equal("s3", configuration.Storage.DriverName);
        var options = Assert.IsType<S3DriverOptions>(configuration.Storage.ObjectStore);
        Assert.Equal(new S3DriverOptions
        {
            RegionEndpoint = "http://127.0.0.1:7480",
            Bucket = "images",
            ForcePathStyle = true,
            StorageClass = "STANDARD",
            ChunkSize = 10 * 1024 * 1024,
            MultipartCopyChunkSize = 32 * 1024 * 1024,
            MultipartCopyMaxConcurrency = 100,
            MultipartCopyThresholdSize = 32 * 1024 * 1024,
        }, options);
    }

    [Fact]
    public void Load_AllKeys_Bound()
    {
        var yaml = """
            version: 0.1
            storage:
              s3:
                region: eu-west-1
                regionendpoint: s3.example.com:9000
                bucket: images
                rootdirectory: /registry/
                accesskey: AKIA
                secretkey: secret
                forcepathstyle: false
                secure: false
                skipverify: true
                encrypt: true
                keyid: arn:aws:kms:key
                storageclass: reduced_redundancy
                chunksize: 5242880
                multipartcopychunksize: 6291456
                multipartcopymaxconcurrency: 4
                multipartcopythresholdsize: 0
                useragent: berth-test
                objectacl: private
            """;

        var (configuration, warnings) = ConfigYaml.Load(yaml);

        Assert.Empty(warnings);
        Assert.Equal(new S3DriverOptions
        {
            Region = "eu-west-1",
            RegionEndpoint = "s3.example.com:9000",
            Bucket = "images",
            RootDirectory = "/registry/",
            AccessKey = "AKIA",
            SecretKey = "secret",
            ForcePathStyle = false,
            Secure = false,
            SkipVerify = true,
            Encrypt = true,
            KeyId = "arn:aws:kms:key",
            StorageClass = "REDUCED_REDUNDANCY",
            ChunkSize = 5 * 1024 * 1024,
            MultipartCopyChunkSize = 6 * 1024 * 1024,
            MultipartCopyMaxConcurrency = 4,
            MultipartCopyThresholdSize = 0,
            UserAgent = "berth-test",
        }, configuration.Storage.ObjectStore);
    }

    [Fact]
    public void Load_S3AwsName_SameDriver()
    {
        var configuration = ConfigYaml.Bind("version: 0.1\nstorage:\n  s3-aws:\n    region: us-east-1\n    bucket: images\n");

        var options = Assert.IsType<S3DriverOptions>(configuration.Storage.ObjectStore);
        Assert.Equal("us-east-1", options.Region);
        Assert.False(options.ForcePathStyle);
    }

    [Fact]
    public void Load_StorageClassNone_SendsNoClass()
    {
        var options = (S3DriverOptions)ConfigYaml.Bind(Endpoint + "\n    storageclass: NONE\n").Storage.ObjectStore!;

        Assert.Null(options.StorageClass);
    }

    [Fact]
    public void Load_ByVariables_SwitchesToS3()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_STORAGE", "s3"),
            ("REGISTRY_STORAGE_S3_REGIONENDPOINT", "http://127.0.0.1:7480"),
            ("REGISTRY_STORAGE_S3_BUCKET", "images"),
            ("REGISTRY_STORAGE_S3_SECURE", "false"),
            ("REGISTRY_STORAGE_S3_CHUNKSIZE", "6291456"),
            ("REGISTRY_STORAGE_S3_ROOTDIRECTORY", "/berth"),
            ("REGISTRY_STORAGE_REDIRECT_DISABLE", "true"));

        var options = Assert.IsType<S3DriverOptions>(configuration.Storage.ObjectStore);
        Assert.Equal(("images", "/berth", false, 6 * 1024 * 1024), (options.Bucket, options.RootDirectory, options.Secure, options.ChunkSize));
        Assert.True(configuration.Storage.RedirectDisabled);
    }

    [Theory]
    [InlineData("version: 0.1\nstorage:\n  s3:\n    region: us-east-1\n", "storage.s3.bucket")]
    [InlineData("version: 0.1\nstorage:\n  s3:\n    bucket: images\n", "storage.s3.region")]
    [InlineData("version: 0.1\nstorage:\n  s3:\n    region: \"\"\n    bucket: images\n", "storage.s3.region")]
    public void Load_RequiredKeyMissing_NamesKey(string yaml, string key)
    {
        var error = ConfigYaml.Error(yaml);

        Assert.Equal(key, error.Key);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chunksize", "5242879")]
    [InlineData("chunksize", "ten megabytes")]
    [InlineData("multipartcopychunksize", "5368709121")]
    [InlineData("multipartcopythresholdsize", "-1")]
    [InlineData("multipartcopymaxconcurrency", "0")]
    [InlineData("storageclass", "GLACIER")]
    [InlineData("secure", "maybe")]
    public void Load_BadValue_NamesKey(string key, string value)
    {
        var error = ConfigYaml.Error(Endpoint + $"\n    {key}: \"{value}\"\n");

        Assert.Equal("storage.s3." + key, error.Key);
    }

    [Theory]
    [InlineData("v4auth: false", "storage.s3.v4auth")]
    [InlineData("loglevel: debug", "storage.s3.loglevel")]
    [InlineData("usedualstack: true", "storage.s3.usedualstack")]
    [InlineData("accelerate: true", "storage.s3.accelerate")]
    [InlineData("usefipsendpoint: true", "storage.s3.usefipsendpoint")]
    [InlineData("objectacl: public-read", "storage.s3.objectacl")]
    [InlineData("accesskey: AKIA", "storage.s3.accesskey")]
    [InlineData("chunksize: 2147483648", "storage.s3.chunksize")]
    [InlineData("colour: blue", "storage.s3.colour")]
    public void Load_KeyBerthCannotHonour_AcceptedWithAWarningNamingIt(string line, string key)
    {
        var (configuration, warnings) = ConfigYaml.Load(Endpoint + "\n    " + line + "\n");

        Assert.NotNull(configuration.Storage.ObjectStore);
        Assert.StartsWith(key + ":", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HugeChunkSize_CappedAtOneGibibyte()
    {
        var options = (S3DriverOptions)ConfigYaml.Bind(Endpoint + "\n    chunksize: 5368709120\n").Storage.ObjectStore!;

        Assert.Equal(1024 * 1024 * 1024, options.ChunkSize);
    }
}
