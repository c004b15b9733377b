using Berth.Auth;
using Berth.Core;

namespace Berth.Metrics;

/// <summary>Counts authorization decisions as <c>berth_auth_attempts_total{result}</c>; registered only with metrics and auth on.</summary>
internal sealed class MeteredAuthorizer(IRegistryAuthorizer inner, BerthMetrics metrics) : IRegistryAuthorizer
{
    public async ValueTask<AuthDecision> AuthorizeAsync(string? authorization, IReadOnlyList<AccessScope> required, RequestOrigin origin,
        CancellationToken cancellationToken)
    {
        var decision = await inner.AuthorizeAsync(authorization, required, origin, cancellationToken);
        metrics.AuthAttempt(decision switch
        {
            AuthDecision.Allowed => "allowed",
            AuthDecision.Unauthorized => "unauthorized",
            AuthDecision.Denied => "denied",
            _ => "unknown",
        });
        return decision;
    }

    public bool CanPull(Caller caller, RepositoryName repository) => inner.CanPull(caller, repository);
}
