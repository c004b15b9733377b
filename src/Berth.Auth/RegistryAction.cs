namespace Berth.Auth;

/// <summary>What a request does to a repository. A push also needs pull, as in Docker's token scopes.</summary>
public enum RegistryAction
{
    Pull,
    Push,
    Delete,
}
