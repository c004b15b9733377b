namespace Berth.Storage.Check;

/// <summary>What the check looked at and found.</summary>
/// <param name="Findings">Problems and notes, repositories in name order then the blob store. Kept in memory: their number, not the store's size, bounds it.</param>
public sealed record IntegrityCheckResult(int Repositories, long Blobs, long Bytes, IReadOnlyList<IntegrityProblem> Findings)
{
    public int Problems => Findings.Count(finding => finding.Kind.IsProblem());

    public int Notes => Findings.Count - Problems;

    public int Repaired => Findings.Count(finding => finding.Repaired);

    public bool IsClean => Problems == 0;
}
