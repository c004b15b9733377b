using Berth.Core;

namespace Berth.Auth.Tests.Support;

internal static class Scopes
{
    public static AccessScope Pull(string repository) => AccessScope.Repository(RepositoryName.Parse(repository), RegistryAction.Pull);

    public static AccessScope Push(string repository) => AccessScope.Repository(RepositoryName.Parse(repository), RegistryAction.Push);

    public static AccessScope Delete(string repository) => AccessScope.Repository(RepositoryName.Parse(repository), RegistryAction.Delete);

    /// <summary>What the host asks for a push: pull and push, as registry:2 and docker's token scopes do.</summary>
    public static AccessScope[] PullPush(string repository) => [Pull(repository), Push(repository)];
}
