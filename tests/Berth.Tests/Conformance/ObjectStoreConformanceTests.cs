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
        await using var rgw = await CephRgw.StartNewAsync(token);
        await rgw.CreateBucketAsync("conformance", token);
        await AssertSuitePassesAsync(rgw.RegistryEnvironment("conformance", "/registry"));
    }

    [Fact]
    public async Task Suite_OnAzure_EveryApplicableSpecPasses()
    {
        await using var azurite = await AzuriteProcess.StartAsync(TestContext.Current.CancellationToken);
        await AssertSuitePassesAsync(azurite.RegistryEnvironment("conformance"));
    }

    private static async Task AssertSuitePassesAsync(Dictionary<string, string> environment)
    {
        environment["REGISTRY_STORAGE_DELETE_ENABLED"] = "true";
        await using var berth = await BerthProcess.StartWithStorageAsync(environment, TestContext.Current.CancellationToken);

        var outcomes = await ConformanceRun.RunAllAsync(berth.BaseUri, new SuiteOptions());

        var failed = outcomes.Where(o => o.Failure is not null)
            .Select(o => $"«{o.Spec.Text}»: {o.Failure!.Message}\n{o.Exchanges}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} specs failed:\n{string.Join("\n\n", failed)}\nberth:\n{berth.Output}");
        var skipped = outcomes.Where(o => o.SkipReason is not null).Select(o => o.Spec.TestName).Order(StringComparer.Ordinal);
        Assert.Equal(NotApplicableSpecs.Reasons.Keys.Order(StringComparer.Ordinal), skipped);
    }
}
