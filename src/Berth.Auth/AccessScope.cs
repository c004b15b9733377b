using Berth.Core;

namespace Berth.Auth;

/// <summary>
/// One thing a request needs, in the Docker token specification's terms: <c>repository:labs/nginx:pull</c>, or
/// <c>registry:catalog:*</c> for the catalog.
/// </summary>
public sealed record AccessScope(string Type, string Name, string Action)
{
    public const string RepositoryType = "repository";
    public const string RegistryType = "registry";

    public static AccessScope Repository(RepositoryName name, RegistryAction action) =>
        new(RepositoryType, name.Value, action.ToString().ToLowerInvariant());

    public static AccessScope Catalog { get; } = new(RegistryType, "catalog", "*");

    /// <summary>The scope as a token server expects it in <c>scope="..."</c>.</summary>
    public override string ToString() => $"{Type}:{Name}:{Action}";
}
