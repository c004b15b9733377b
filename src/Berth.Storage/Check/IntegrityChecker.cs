using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.State;

namespace Berth.Storage.Check;

/// <summary>
/// <c>berth check</c>: verifies a registry:2 store through any driver. First every repository (in name order): its
/// links are well formed and name content that exists, its manifests parse and what they name is there and linked
/// as registry:2 serves it. Then every blob under <c>blobs/</c> is hashed once. Read-only unless
/// <see cref="IntegrityCheckOptions.RepairLinks"/>, which removes dangling tag and layer links and nothing else.
/// Memory holds the repository names, a bounded cache of blob Stats and the findings, never a list of all blobs.
/// </summary>
public static class IntegrityChecker
{
    /// <param name="driver">The storage as it is: every read goes here (never through a cache).</param>
    /// <param name="observer">Hears each repository's findings, the corrupt blobs, and progress while hashing.</param>
    public static async Task<IntegrityCheckResult> RunAsync(IStorageDriver driver, IntegrityCheckOptions options,
        IIntegrityCheckObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var presence = new BlobPresence(driver);
        var manifests = new ManifestContentCheck(driver, presence, options.IndexChildren);
        var findings = new List<IntegrityProblem>();

        // Repositories are few next to blobs; the garbage collector holds the same list.
        var repositories = await CatalogScan.FindAsync(driver, cancellationToken);
        foreach (var name in repositories.Select(RepositoryName.Parse))
        {
            var found = await new RepositoryChecker(driver, presence, manifests, options, name).CheckAsync(cancellationToken);
            findings.AddRange(found);
            await observer.RepositoryCheckedAsync(name, found, cancellationToken);
        }

        var verifier = new BlobVerifier(driver, observer, options.ProgressInterval);
        var corrupt = await verifier.VerifyAllAsync(cancellationToken);
        findings.AddRange(corrupt);
        await observer.BlobsCheckedAsync(corrupt, cancellationToken);
        return new IntegrityCheckResult(repositories.Count, verifier.Blobs, verifier.Bytes, findings);
    }
}
