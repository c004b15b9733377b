namespace Berth.Auth.Policy;

/// <summary>
/// No <c>access</c> section: registry:2's behaviour. Without an auth method everyone may do everything; with one,
/// every authenticated user may do everything and anonymous callers nothing.
/// </summary>
internal sealed class OpenPolicy : IGrantPolicy
{
    private readonly bool _anonymousAllowed;

    private OpenPolicy(bool anonymousAllowed)
    {
        _anonymousAllowed = anonymousAllowed;
    }

    public static OpenPolicy Everyone { get; } = new(anonymousAllowed: true);

    public static OpenPolicy AuthenticatedUsers { get; } = new(anonymousAllowed: false);

    public bool Grants(Caller caller, AccessScope scope) => _anonymousAllowed || !caller.IsAnonymous;
}
