using Berth.Auth;
using Berth.Core;
using Berth.Metrics;
using Xunit;

namespace Berth.Tests.Metrics;

public sealed class MeteredAuthorizerTests : IDisposable
{
    private static readonly Caller Anyone = new("alice", new HashSet<string>(), null);
    private readonly BerthMetrics _metrics = new("test");
    private readonly PrometheusCollector _collector;

    public MeteredAuthorizerTests() => _collector = new PrometheusCollector(_metrics.Meter);

    public void Dispose()
    {
        _collector.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task Authorize_EachDecision_CountedByResultAndPassedOn()
    {
        AuthDecision[] decisions =
            [new AuthDecision.Unauthorized("Basic realm=\"r\"", "no"), new AuthDecision.Allowed(Anyone), new AuthDecision.Allowed(Anyone),
             new AuthDecision.Denied(Anyone, "no")];
        var authorizer = new MeteredAuthorizer(new Scripted(decisions), _metrics);

        foreach (var expected in decisions)
        {
            Assert.Same(expected, await authorizer.AuthorizeAsync(null, [], new RequestOrigin("h", ""), TestContext.Current.CancellationToken));
        }

        var scrape = PrometheusText.Parse(_collector.Scrape());
        Assert.Equal(2, scrape.Value("berth_auth_attempts_total", ("result", "allowed")));
        Assert.Equal(1, scrape.Value("berth_auth_attempts_total", ("result", "unauthorized")));
        Assert.Equal(1, scrape.Value("berth_auth_attempts_total", ("result", "denied")));
    }

    private sealed class Scripted(AuthDecision[] decisions) : IRegistryAuthorizer
    {
        private int _next;

        public ValueTask<AuthDecision> AuthorizeAsync(string? authorization, IReadOnlyList<AccessScope> required, RequestOrigin origin,
            CancellationToken cancellationToken) => ValueTask.FromResult(decisions[_next++]);

        public bool CanPull(Caller caller, RepositoryName repository) => true;
    }
}
