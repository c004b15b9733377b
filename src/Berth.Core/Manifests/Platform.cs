namespace Berth.Core.Manifests;

/// <summary>The <c>platform</c> of an index entry, as far as Berth reads it: the pair registry:3 matches on.</summary>
public sealed record Platform(string? Os, string? Architecture)
{
    public override string ToString() => $"{Os}/{Architecture}";
}
