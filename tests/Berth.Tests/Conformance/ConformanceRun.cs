using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>
/// One run of the OCI distribution-spec conformance suite (v1.1.1 with all four workflows enabled) against a real
/// berth process. Ginkgo runs the specs in declaration order in one repository and later specs depend on state
/// earlier ones left (tags, deleted manifests, upload sessions), so the whole ordered run happens once here, as it
/// does there; each xunit test then reports the outcome of its spec. This keeps the order honest whatever xunit
/// schedules or filters.
/// </summary>
public sealed class ConformanceRun : IAsyncLifetime
{
    private readonly Dictionary<string, SpecOutcome> _outcomes = [];
    private readonly TempDirectory _root = new("berth-conformance");
    private BerthProcess? _berth;

    internal SuiteOptions Options { get; } = new();

    internal IReadOnlyCollection<SpecOutcome> Outcomes => _outcomes.Values;

    /// <summary>Every spec in run order, across the four workflows, as the suite declares them.</summary>
    internal static IReadOnlyList<Spec> DeclareAll(OciClient client, ConformanceData data, SuiteOptions options) =>
    [
        .. new PullWorkflow(client, data, options).Specs(),
        .. new PushWorkflow(client, data, options).Specs(),
        .. new ContentDiscoveryWorkflow(client, data, options).Specs(),
        .. new ContentManagementWorkflow(client, data, options).Specs(),
    ];

    public async ValueTask InitializeAsync()
    {
        var environment = new Dictionary<string, string> { ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true" };
        _berth = await BerthProcess.StartAsync(_root.Combine("registry"), environment);
        foreach (var outcome in await RunAllAsync(_berth.BaseUri, Options))
        {
            _outcomes.Add(outcome.Spec.TestName, outcome);
        }

        await WriteTranscriptAsync();
    }

    /// <summary>The whole suite, in order, against the registry at <paramref name="baseUri"/>.</summary>
    internal static async Task<IReadOnlyList<SpecOutcome>> RunAllAsync(Uri baseUri, SuiteOptions options)
    {
        using var client = new OciClient(new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) }, options.Namespace);
        var outcomes = new List<SpecOutcome>();
        foreach (var spec in DeclareAll(client, new ConformanceData(), options))
        {
            outcomes.Add(await RunAsync(spec, client));
        }

        return outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        _root.Dispose();
    }

    /// <summary>Reports the outcome of the spec that the calling test stands for.</summary>
    internal void Check([CallerMemberName] string testName = "")
    {
        Assert.True(_outcomes.TryGetValue(testName, out var outcome), $"no spec is declared for {testName}");
        // Every spec with a test applies to Berth; the ones the suite skips under Berth's settings have no test
        // (NotApplicableSpecs), so a skip here means the run went wrong.
        Assert.True(outcome.SkipReason is null, $"«{outcome.Spec.Text}» was skipped: {outcome.SkipReason}");

        if (outcome.Failure is not null)
        {
            // The process output only helps when berth died mid-run; otherwise it is the end of the whole run.
            var died = _berth is { HasExited: true } ? $"\nberth exited:\n{Tail(_berth.Output)}" : "";
            var report = $"«{outcome.Spec.Text}» failed: {outcome.Failure.Message}\nexchanges:\n{outcome.Exchanges}{died}";
            throw new SpecFailedException(report, outcome.Failure);
        }
    }

    private static async Task<SpecOutcome> RunAsync(Spec spec, OciClient client)
    {
        client.TakeLog();
        try
        {
            await spec.Body();
            return new SpecOutcome(spec, null, null, client.TakeLog());
        }
        catch (SpecSkippedException skipped)
        {
            return new SpecOutcome(spec, null, skipped.Message, client.TakeLog());
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            // Ginkgo goes on with the next spec after a failure; so does this run.
            return new SpecOutcome(spec, ExceptionDispatchInfo.Capture(failure).SourceException, null, client.TakeLog());
        }
    }

    /// <summary>With BERTH_CONFORMANCE_TRANSCRIPT=path, every spec's outcome and exchanges, in run order, for review.</summary>
    private async Task WriteTranscriptAsync()
    {
        var path = Environment.GetEnvironmentVariable("BERTH_CONFORMANCE_TRANSCRIPT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var lines = _outcomes.Values.Select(o =>
            $"[{(o.Failure is not null ? "FAIL" : o.SkipReason is not null ? "SKIP" : "PASS")}] {o.Spec.TestName}: {o.Spec.Text}" +
            $"{(o.Failure is null ? "" : "\n  " + o.Failure.Message)}\n{o.Exchanges}");
        await File.WriteAllLinesAsync(path, lines);
    }

    private static string Tail(string? output) => output is null ? "" : output[Math.Max(0, output.Length - 2000)..];
}

/// <summary>A failed spec, with the HTTP exchanges it made.</summary>
public sealed class SpecFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>The suite's OCI_* settings, at the values a run against a deleting registry uses by default.</summary>
internal sealed record SuiteOptions
{
    /// <summary>OCI_NAMESPACE: the one repository every workflow uses.</summary>
    public string Namespace { get; init; } = "conformance/berth";

    /// <summary>OCI_CROSSMOUNT_NAMESPACE: defaults to conformance-&lt;uuid&gt;.</summary>
    public string CrossmountNamespace { get; init; } = $"conformance-{Guid.NewGuid()}";

    /// <summary>OCI_DELETE_MANIFEST_BEFORE_BLOBS: true unless set otherwise.</summary>
    public bool DeleteManifestBeforeBlobs { get; init; } = true;

    /// <summary>
    /// OCI_AUTOMATIC_CROSSMOUNT: unset (null) skips the two automatic cross-mount specs. Berth's setting is false: it
    /// never mounts without <c>from</c>, so the suite checks that such a mount falls back to an upload session.
    /// </summary>
    public bool? AutomaticCrossmount { get; init; } = false;
}

[CollectionDefinition(Name)]
public sealed class ConformanceGroup : ICollectionFixture<ConformanceRun>
{
    public const string Name = "OCI conformance";
}
