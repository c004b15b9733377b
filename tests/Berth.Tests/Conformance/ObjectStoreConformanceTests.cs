using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>
/// The whole OCI conformance suite against a berth node on S3 (Ceph RGW) and one on Azure Blob (Azurite): the
/// object-store drivers must serve the protocol exactly as the filesystem does. One test per store; a failure lists
/// every failed spec with its exchanges.
/// </summary>
public sealed class ObjectStoreConformanceTests
{
    [Fact]
    public async Task Suite_OnS3_EveryApplicableSpecPasses()
    {
        var token = TestContext.Current.CancellationToken;
        await using var rgw = await CephRgw.StartAsync(token);
        await rgw.CreateBucketAsync("conformance", token);
        await AssertSuitePassesAsync(new Dictionary<string, string>
        {
            ["REGISTRY_STORAGE"] = "s3",
            ["REGISTRY_STORAGE_S3_REGION"] = "us-east-1",
            ["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = rgw.Endpoint.ToString(),
            ["REGISTRY_STORAGE_S3_BUCKET"] = "conformance",
            ["REGISTRY_STORAGE_S3_ACCESSKEY"] = rgw.AccessKey,
            ["REGISTRY_STORAGE_S3_SECRETKEY"] = rgw.SecretKey,
            ["REGISTRY_STORAGE_S3_FORCEPATHSTYLE"] = "true",
        });
    }

    [Fact]
    public async Task Suite_OnAzure_EveryApplicableSpecPasses()
    {
        await using var azurite = await AzuriteProcess.StartAsync(TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string>(azurite.RegistryEnvironment("conformance"));
        await AssertSuitePassesAsync(environment);
    }

    private static async Task AssertSuitePassesAsync(Dictionary<string, string> environment)
    {
        using var root = new TempDirectory("berth-conformance-objectstore");
        environment["REGISTRY_STORAGE_DELETE_ENABLED"] = "true";
        await using var berth = await BerthProcess.StartAsync(root.Combine("unused"), environment,
            cancellationToken: TestContext.Current.CancellationToken);

        var outcomes = await ConformanceRun.RunAllAsync(berth.BaseUri, new SuiteOptions());

        var failed = outcomes.Where(o => o.Failure is not null)
            .Select(o => $"«{o.Spec.Text}»: {o.Failure!.Message}\n{o.Exchanges}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} specs failed:\n{string.Join("\n\n", failed)}\nberth:\n{berth.Output}");
        var skipped = outcomes.Where(o => o.SkipReason is not null).Select(o => o.Spec.TestName).Order(StringComparer.Ordinal);
        Assert.Equal(NotApplicableSpecs.Reasons.Keys.Order(StringComparer.Ordinal), skipped);
    }
}
