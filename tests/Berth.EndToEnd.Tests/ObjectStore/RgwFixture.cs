using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ObjectStore;

/// <summary>One Ceph RGW with one bucket for the S3 end-to-end tests; each test uses its own root directory in it.</summary>
public sealed class RgwFixture() : Berth.Storage.S3.Tests.RgwBucketFixture("berth-e2e")
{
    /// <summary>berth serving this bucket below <paramref name="rootDirectory"/>.</summary>
    internal Task<RegistryServer> StartBerthAsync(string rootDirectory, bool redirectDisabled = false)
    {
        var environment = Rgw.RegistryEnvironment(Bucket, rootDirectory);
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
