using Berth.Auth;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;

namespace Berth.Ui;

/// <summary>One tag and the manifest it names.</summary>
internal readonly record struct TaggedDigest(string Tag, Digest Digest);

/// <summary>
/// The questions the page asks of the registry, answered from its indexes: the catalog (in memory or Redis), the
/// repository summaries, tag lists (cached by folder time), tag links, and manifests and image summaries cached by
/// digest. It reads the local store, below notifications and the mirror: looking is no pull, and shows what is stored.
/// </summary>
internal sealed class RegistryBrowser(IRegistryStore local, RepositorySummaries summaries, ImageSummaries images)
{
    /// <summary>How many tag links are read at once for a repository page.</summary>
    private const int Parallelism = 16;

    private const int CatalogPage = 10_000;

    public RepositorySummaries Summaries => summaries;

    public ImageSummaries Images => images;

    public IRepository Repository(RepositoryName name) => local.Repository(name);

    /// <summary>Every repository <paramref name="caller"/> may pull, by name, and how many others there are.</summary>
    public async Task<(IReadOnlyList<RepositoryName> Visible, int Hidden)> VisibleAsync(UiAccess access, Caller caller, CancellationToken cancellationToken)
    {
        var visible = new List<RepositoryName>();
        var hidden = 0;
        string? last = null;
        while (true)
        {
            var page = await local.Catalog.PageAsync(last, CatalogPage, cancellationToken);
            foreach (var name in page.Names)
            {
                if (RepositoryName.TryParse(name, out var repository) && access.CanPull(caller, repository))
                {
                    visible.Add(repository);
                }
                else
                {
                    hidden++;
                }
            }

            if (!page.HasMore || page.Names.Count == 0)
            {
                return (visible, hidden);
            }

            last = page.Names[^1];
        }
    }

    /// <summary>A repository the caller may pull, by name; one it may not pull is as unknown as one that does not exist.</summary>
    /// <exception cref="RegistryException">NAME_INVALID, or NAME_UNKNOWN.</exception>
    public static RepositoryName Pullable(UiAccess access, Caller caller, string? name)
    {
        var repository = RepositoryName.Parse(name ?? string.Empty);
        if (!access.CanPull(caller, repository))
        {
            throw new RegistryException(RegistryErrorCode.NameUnknown, "repository name not known to registry", repository.Value);
        }

        return repository;
    }

    /// <summary>Every tag of the repository with the digest it names, in tag order; tags removed meanwhile are left out.</summary>
    /// <exception cref="RegistryException">NAME_UNKNOWN when there is no such repository.</exception>
    public async Task<IReadOnlyList<TaggedDigest>> TagsAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        var repository = local.Repository(name);
        var tags = await repository.Tags.ListAsync(cancellationToken)
            ?? throw new RegistryException(RegistryErrorCode.NameUnknown, "repository name not known to registry", name.Value);
        var digests = new Digest?[tags.Count];
        await Parallel.ForAsync(0, tags.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                if (Tag.TryParse(tags[i], out var tag))
                {
                    digests[i] = (await repository.Manifests.GetAsync(Reference.Of(tag), token))?.Digest;
                }
            });

        var tagged = new List<TaggedDigest>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            if (digests[i] is { } digest)
            {
                tagged.Add(new TaggedDigest(tags[i], digest));
            }
        }

        return tagged;
    }
}
