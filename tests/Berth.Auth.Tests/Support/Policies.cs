namespace Berth.Auth.Tests.Support;

/// <summary>The example policy of the docs: anonymous pull of public/**, team-a pushes its own, admins delete.</summary>
internal static class Policies
{
    public static AccessPolicySettings Example { get; } = new(
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["team-a"] = ["alice", "bob"],
            ["admins"] = ["root"],
        },
        [
            new AccessRule(["public/**"], [RegistryAction.Pull], [], [], Anonymous: true),
            new AccessRule(["team-a/**"], [RegistryAction.Pull, RegistryAction.Push], [], ["team-a"], Anonymous: false),
            new AccessRule(["**"], [RegistryAction.Pull, RegistryAction.Delete], [], ["admins"], Anonymous: false),
            new AccessRule(["shared/*"], [RegistryAction.Pull], ["*"], [], Anonymous: false),
            new AccessRule(["carol/**"], [RegistryAction.Pull, RegistryAction.Push], ["carol"], [], Anonymous: false),
        ]);

    public static AccessRule Rule(string repository, RegistryAction[] actions, string[]? users = null, string[]? groups = null, bool anonymous = false) =>
        new([repository], actions, users ?? [], groups ?? [], anonymous);

    public static AccessPolicySettings With(params AccessRule[] rules) => new(new Dictionary<string, IReadOnlyList<string>>(), rules);
}
