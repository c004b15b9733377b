namespace Berth.Auth.Policy;

/// <summary>What a caller, once known, may do. Implementations are immutable and thread-safe.</summary>
internal interface IGrantPolicy
{
    bool Grants(Caller caller, AccessScope scope);

    /// <summary>The caller for a user who proved their password: with their groups, where groups exist.</summary>
    Caller CallerFor(string user) => new(user, System.Collections.Frozen.FrozenSet<string>.Empty, null);
}
