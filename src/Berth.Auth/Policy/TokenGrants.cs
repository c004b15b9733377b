namespace Berth.Auth.Policy;

/// <summary>
/// Token auth: the token's <c>access</c> claim is all the caller may do. An entry grants a scope when type and name
/// match exactly and its actions hold the scope's action or <c>*</c>.
/// </summary>
internal sealed class TokenGrants : IGrantPolicy
{
    public static TokenGrants Instance { get; } = new();

    public bool Grants(Caller caller, AccessScope scope)
    {
        foreach (var access in caller.TokenAccess ?? [])
        {
            if (access.Type == scope.Type && access.Name == scope.Name &&
                (access.Actions.Contains(scope.Action) || access.Actions.Contains("*")))
            {
                return true;
            }
        }

        return false;
    }
}
