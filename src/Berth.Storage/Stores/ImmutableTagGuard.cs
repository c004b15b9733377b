using Berth.Core;
using Berth.Core.Immutability;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// Enforces <c>storage.immutabletags</c> for one repository's manifest writes and deletes. Every entry point returns
/// at once when no rule is configured, so the manifest PUT path pays one field read for the feature it does not use.
/// </summary>
internal static class ImmutableTagGuard
{
    /// <summary>
    /// Refuses a push that would move an immutable tag to <paramref name="digest"/>. The first push of such a tag, and
    /// a re-push of the manifest it already names, pass. While the push writes its tags the repository's tag lock
    /// (<see cref="TagWriteLock"/>) is held (returned; null when not needed), so two first pushes of one tag with
    /// different manifests cannot both pass the check: the second sees the first one's tag and is refused. With
    /// <see cref="StoreOptions.LockTagWrites"/> (retention configured) every tag push holds it, so retention's
    /// compare-and-remove of a tag never removes one a push has just moved.
    /// </summary>
    public static ValueTask<IAsyncDisposable?> BeforePushAsync(StoreContext context, RepositoryName name, IReadOnlyList<Tag> tags,
        Digest digest, CancellationToken cancellationToken) =>
        tags.Count == 0 || (context.Options.ImmutableTags.IsEmpty && !context.Options.LockTagWrites)
            ? ValueTask.FromResult<IAsyncDisposable?>(null)
            : CheckPushAsync(context, name, tags, digest, cancellationToken);

    /// <summary>Refuses deleting <paramref name="tag"/> when a rule makes it immutable.</summary>
    public static void BeforeTagDelete(StoreContext context, RepositoryName name, Tag tag)
    {
        if (!context.Options.ImmutableTags.IsEmpty && context.Options.ImmutableTags.Find(name, tag) is { } rule)
        {
            throw ImmutableTagRules.DeleteRefused(rule, name, tag, digest: null);
        }
    }

    /// <summary>
    /// Refuses deleting a manifest that an immutable tag points at: a digest delete removes its tags with it.
    /// <paramref name="taggedWith"/> are the tags pointing at <paramref name="digest"/>.
    /// </summary>
    public static void BeforeManifestDelete(StoreContext context, RepositoryName name, Digest digest, IEnumerable<Tag> taggedWith)
    {
        if (context.Options.ImmutableTags.IsEmpty)
        {
            return;
        }

        foreach (var tag in taggedWith)
        {
            if (context.Options.ImmutableTags.Find(name, tag) is { } rule)
            {
                throw ImmutableTagRules.DeleteRefused(rule, name, tag, digest);
            }
        }
    }

    /// <summary>Refuses deleting a repository that holds an immutable tag (an empty or all-mutable one may go).</summary>
    public static void BeforeRepositoryDelete(StoreContext context, RepositoryName name, IEnumerable<Tag> tags)
    {
        if (!context.Options.ImmutableTags.AnyFor(name))
        {
            return;
        }

        foreach (var tag in tags)
        {
            if (context.Options.ImmutableTags.Find(name, tag) is { } rule)
            {
                throw ImmutableTagRules.RepositoryDeleteRefused(rule, name, tag);
            }
        }
    }

    private static async ValueTask<IAsyncDisposable?> CheckPushAsync(StoreContext context, RepositoryName name, IReadOnlyList<Tag> tags,
        Digest digest, CancellationToken cancellationToken)
    {
        var rules = context.Options.ImmutableTags;
        var immutable = new List<(Tag Tag, ImmutableTagRule Rule)>();
        if (rules.AnyFor(name))
        {
            foreach (var tag in tags)
            {
                if (rules.Find(name, tag) is { } rule)
                {
                    immutable.Add((tag, rule));
                }
            }
        }

        if (immutable.Count == 0 && !context.Options.LockTagWrites)
        {
            return null;
        }

        var held = await TagWriteLock.AcquireAsync(context, name, cancellationToken);
        try
        {
            foreach (var (tag, rule) in immutable)
            {
                if (await context.Driver.ReadAsync(RegistryPaths.TagCurrentLink(name, tag), cancellationToken) is { } current && current != digest)
                {
                    throw ImmutableTagRules.MoveRefused(rule, name, tag, current, digest);
                }
            }

            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }
}
