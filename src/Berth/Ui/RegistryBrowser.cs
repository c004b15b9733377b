using System.Collections.Concurrent;
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
internal sealed class RegistryBrowser(IRegistryStore local, RepositorySummaries summaries, ImageSummaries images, TimeProvider time)
{
    /// <summary>How many repositories' tag maps are kept; a page views a few at a time.</summary>
    private const int TagMapCapacity = 1_000;

    private readonly ConcurrentDictionary<string, TagMap> _tagMaps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refreshing = new(StringComparer.Ordinal);

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
    public async Task<RepositoryName> PullableAsync(UiAccess access, Caller caller, string? name, CancellationToken cancellationToken)
    {
        var repository = RepositoryName.Parse(name ?? string.Empty);
        if (!access.CanPull(caller, repository) || !await local.Catalog.ContainsAsync(repository, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.NameUnknown, "repository name not known to registry", repository.Value);
        }

        return repository;
    }

    /// <summary>
    /// The summaries of <paramref name="digests"/>, read <see cref="Parallelism"/> at a time the first time (a repository
    /// of 10,000 images costs 10,000 config reads once), from memory afterwards. Manifests gone meanwhile are left out.
    /// </summary>
    public async Task<IReadOnlyList<(Digest Digest, ImageSummary Summary)>> SummariesAsync(IRepository repository, IReadOnlyList<Digest> digests,
        CancellationToken cancellationToken)
    {
        var summaries = new ImageSummary?[digests.Count];
        var missing = Enumerable.Range(0, digests.Count).Where(i => !images.TryGet(digests[i], out summaries[i])).ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) => summaries[i] = await images.GetAsync(repository, digests[i], token));
        var found = new List<(Digest Digest, ImageSummary Summary)>(digests.Count);
        for (var i = 0; i < digests.Count; i++)
        {
            if (summaries[i] is { } summary)
            {
                found.Add((digests[i], summary));
            }
        }

        return found;
    }

    /// <summary>What a push or delete on this node changed: read again at the next look.</summary>
    public void Changed(RepositoryName name)
    {
        _tagMaps.TryRemove(name.Value, out _);
        summaries.Forget(name);
    }

    /// <summary>
    /// Every tag of the repository with the digest it names, newest version first. Reading the links of 10,000 tags takes a
    /// good part of a second, so the map is kept: dropped at once when this node changes the repository
    /// (<see cref="Changed"/>), and once older than <see cref="RepositorySummaries.FreshFor"/> served while one
    /// background read refreshes it (what other nodes changed shows at the next look after that).
    /// </summary>
    /// <exception cref="RegistryException">NAME_UNKNOWN when there is no such repository.</exception>
    public async Task<IReadOnlyList<TaggedDigest>> TagsAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        if (_tagMaps.TryGetValue(name.Value, out var kept))
        {
            if (time.GetUtcNow() - kept.ReadAt > RepositorySummaries.FreshFor && _refreshing.TryAdd(name.Value, 0))
            {
                // Served as it is while one refresh reads it again for the next look, as the repository summaries are.
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await ReadIntoCacheAsync(name, CancellationToken.None);
                    }
                    catch (Exception e) when (e is IOException or RegistryException or ServiceUnavailableException)
                    {
                        // The next look tries again.
                    }
                    finally
                    {
                        _refreshing.TryRemove(name.Value, out _);
                    }
                }, CancellationToken.None);
            }

            return kept.Tags;
        }

        return await ReadIntoCacheAsync(name, cancellationToken);
    }

    private async Task<IReadOnlyList<TaggedDigest>> ReadIntoCacheAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var tags = await ReadTagsAsync(name, cancellationToken);
        if (_tagMaps.Count >= TagMapCapacity)
        {
            _tagMaps.Clear();
        }

        _tagMaps[name.Value] = new TagMap(tags, readAt);
        return tags;
    }

    private async Task<IReadOnlyList<TaggedDigest>> ReadTagsAsync(RepositoryName name, CancellationToken cancellationToken)
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

        // Newest version first, as the page shows them by default: sorted once per read, so neither the server nor the
        // page sorts 10,000 tags per view.
        tagged.Sort((x, y) => NaturalOrder.Instance.Compare(y.Tag, x.Tag));
        return tagged;
    }

    private sealed record TagMap(IReadOnlyList<TaggedDigest> Tags, DateTimeOffset ReadAt);
}
