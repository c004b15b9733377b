using System.Reflection;
using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>Keeps the port whole: one test per spec, and the spec count of the v1.1.1 suite.</summary>
public sealed class SuiteShapeTests
{
    // 79 specs are declared with all four workflows on; 5 skip by default (tag name and tag list from the
    // environment, the two automatic cross-mount specs, and one of the two mount follow-ups), so Ginkgo reports
    // "Ran 74 of 79 Specs".
    private const int DeclaredSpecs = 79;

    [Fact]
    public void Suite_EverySpecHasOneTestAndEveryTestOneSpec()
    {
        using var client = new OciClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") }, "conformance/berth");
        var specs = ConformanceRun.DeclareAll(client, new ConformanceData(), new SuiteOptions()).Select(s => s.TestName).ToList();
        var tests = new[] { typeof(PullTests), typeof(PushTests), typeof(ContentDiscoveryTests), typeof(ContentManagementTests) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToList();

        Assert.Equal(DeclaredSpecs, specs.Count);
        Assert.Equal(specs.Count, specs.Distinct().Count());
        Assert.Equal(specs.Order(StringComparer.Ordinal), tests.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Suite_TeardownOrderFollowsDeleteManifestBeforeBlobs()
    {
        using var client = new OciClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") }, "conformance/berth");
        var blobsFirst = ConformanceRun.DeclareAll(client, new ConformanceData(), new SuiteOptions { DeleteManifestBeforeBlobs = false })
            .Select(s => s.TestName).ToList();

        Assert.Equal(DeclaredSpecs, blobsFirst.Count);
        Assert.True(blobsFirst.IndexOf(nameof(PullTests.Pull_Teardown_DeleteLayer)) < blobsFirst.IndexOf(nameof(PullTests.Pull_Teardown_DeleteManifest0)));
    }
}
