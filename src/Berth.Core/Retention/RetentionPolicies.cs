namespace Berth.Core.Retention;

/// <summary>
/// <c>storage.retention</c>: the policies in the order written (the first that covers a repository decides for it;
/// a repository none covers keeps everything) and whether retention only reports.
/// </summary>
public sealed class RetentionPolicies
{
    private readonly RetentionPolicy[] _policies;

    public RetentionPolicies(IEnumerable<RetentionPolicy> policies, bool dryRun)
    {
        _policies = [.. policies];
        DryRun = dryRun;
    }

    public static RetentionPolicies None { get; } = new([], dryRun: false);

    /// <summary>With no policy, retention is off: nothing records pulls and nothing is evaluated.</summary>
    public bool IsEmpty => _policies.Length == 0;

    /// <summary><c>storage.retention.dryrun</c>: decide and report, remove nothing.</summary>
    public bool DryRun { get; }

    public IReadOnlyList<RetentionPolicy> Policies => _policies;

    /// <returns>The first policy covering <paramref name="repository"/>, or null: then every tag stays.</returns>
    public RetentionPolicy? Find(RepositoryName repository)
    {
        foreach (var policy in _policies)
        {
            if (policy.Covers(repository))
            {
                return policy;
            }
        }

        return null;
    }
}
