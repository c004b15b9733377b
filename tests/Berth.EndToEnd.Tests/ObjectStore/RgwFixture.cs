using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ObjectStore;

/// <summary>One Ceph RGW with one bucket for the S3 end-to-end tests; each test uses its own root directory in it.</summary>
public sealed class RgwFixture() : Berth.Storage.S3.Tests.RgwBucketFixture("berth-e2e")
{
    /// <summary>berth's REGISTRY_* variables for this bucket below <paramref name="rootDirectory"/>, as a user would write them.</summary>
    private Dictionary<string, string> BerthEnvironment(string rootDirectory) => new()
    {
        ["REGISTRY_STORAGE"] = "s3",
        ["REGISTRY_STORAGE_S3_REGION"] = "us-east-1",
        ["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = Rgw.Endpoint.GetLeftPart(UriPartial.Authority),
        ["REGISTRY_STORAGE_S3_BUCKET"] = Bucket,
        ["REGISTRY_STORAGE_S3_ROOTDIRECTORY"] = rootDirectory,
        ["REGISTRY_STORAGE_S3_ACCESSKEY"] = Rgw.AccessKey,
        ["REGISTRY_STORAGE_S3_SECRETKEY"] = Rgw.SecretKey,
        ["REGISTRY_STORAGE_S3_SECURE"] = "false",
    };

    /// <summary>berth serving this bucket below <paramref name="rootDirectory"/>.</summary>
    internal Task<RegistryServer> StartBerthAsync(string rootDirectory, bool redirectDisabled = false)
    {
        var environment = BerthEnvironment(rootDirectory);
        if (redirectDisabled)
        {
            environment["REGISTRY_STORAGE_REDIRECT_DISABLE"] = "true";
        }

        return RegistryServer.StartBerthOnStorageAsync(environment);
    }

    /// <summary>The reference registry's s3-aws driver on this bucket below <paramref name="rootDirectory"/>.</summary>
    internal async Task<RegistryServer> StartDistributionAsync(string rootDirectory) =>
        RegistryServer.Of(await DockerRegistryProcess.StartS3Async(Rgw.Endpoint, Rgw.AccessKey, Rgw.SecretKey, Bucket, rootDirectory,
            TestContext.Current.CancellationToken));
}
