using System.Text;

namespace Berth.Auth.Token;

/// <summary>
/// The <c>WWW-Authenticate</c> value of token auth, as registry:2 writes it:
/// <c>Bearer realm="...",service="...",scope="repository:a:pull,push repository:b:pull",error="..."</c>.
/// Scopes of one resource are merged (actions in the order first required, comma-separated); resources are
/// space-separated in the order first required. No scope parameter when nothing specific is required.
/// </summary>
internal static class BearerChallenge
{
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";

    public static string Format(string realm, string service, IReadOnlyList<AccessScope> required, string? error)
    {
        var header = new StringBuilder("Bearer realm=").Append(AuthorizationHeader.Quote(realm))
            .Append(",service=").Append(AuthorizationHeader.Quote(service));
        if (required.Count > 0)
        {
            header.Append(",scope=").Append(AuthorizationHeader.Quote(ScopeParameter(required)));
        }

        if (error is not null)
        {
            header.Append(",error=").Append(AuthorizationHeader.Quote(error));
        }

        return header.ToString();
    }

    public static string ScopeParameter(IReadOnlyList<AccessScope> required)
    {
        var resources = new List<(string Resource, List<string> Actions)>();
        foreach (var scope in required)
        {
            var resource = scope.Type + ":" + scope.Name;
            var index = resources.FindIndex(r => r.Resource == resource);
            if (index < 0)
            {
                resources.Add((resource, [scope.Action]));
            }
            else if (!resources[index].Actions.Contains(scope.Action))
            {
                resources[index].Actions.Add(scope.Action);
            }
        }

        return string.Join(' ', resources.Select(r => r.Resource + ":" + string.Join(',', r.Actions)));
    }
}
