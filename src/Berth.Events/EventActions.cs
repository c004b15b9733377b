namespace Berth.Events;

/// <summary>The <c>action</c> values registry uses, and so what <c>ignore.actions</c> may name.</summary>
public static class EventActions
{
    public const string Push = "push";
    public const string Pull = "pull";
    public const string Mount = "mount";
    public const string Delete = "delete";

    public static IReadOnlyList<string> All { get; } = [Push, Pull, Mount, Delete];
}
