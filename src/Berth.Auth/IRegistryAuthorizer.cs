using Berth.Core;

namespace Berth.Auth;

/// <summary>
/// Decides every request under <c>/v2/</c>. Thread-safe; built once from the configuration. Cheap on the hot path:
/// a verified password or token is not verified again on every request.
/// </summary>
public interface IRegistryAuthorizer
{
    /// <param name="authorization">The request's Authorization header as sent, or null.</param>
    /// <param name="required">
    /// Everything the request needs. Empty means "any authenticated caller" (the <c>/v2/</c> ping, where clients
    /// learn how to log in): anonymous callers are challenged there whenever an auth method is configured.
    /// </param>
    /// <param name="origin">Where the request was sent; only a challenge built from it (token autoredirect) reads it.</param>
    ValueTask<AuthDecision> AuthorizeAsync(string? authorization, IReadOnlyList<AccessScope> required, RequestOrigin origin,
        CancellationToken cancellationToken);

    /// <summary>Whether the caller may pull the repository: filters the catalog to what the caller may see.</summary>
    bool CanPull(Caller caller, RepositoryName repository);
}
