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
    /// Refuses, before anything is written, a push that would move an immutable tag to <paramref name="digest"/>. The
    /// first push of such a tag, and a re-push of the manifest it already names, pass. Unlocked: it spares a refused
    /// push its writes, and <see cref="BeforeTagWritesAsync"/> checks again under the lock.
    /// </summary>
    public static ValueTask RefuseMoveAsync(StoreContext context, RepositoryName name, IReadOnlyList<Tag> tags, Digest digest,
        CancellationToken cancellationToken) =>
        tags.Count == 0 || !context.Options.ImmutableTags.AnyFor(name)
            ? ValueTask.CompletedTask
            : CheckMovesAsync(context, name, Immutable(context, name, tags), digest, cancellationToken);

    /// <summary>
    /// Takes the repository's tag lock (<see cref="TagWriteLock"/>; returned, null when not needed) for the push's tag
    /// writes and refuses, under it, a move of an immutable tag: two first pushes of one tag with different manifests
    /// cannot both pass, the second sees the first one's tag. With <see cref="StoreOptions.LockTagWrites"/> (retention
    /// configured) every tag push takes it, so retention's compare-and-remove never removes a tag a push just moved.
    /// Taken after the push has written its content and revision: a push then never waits for the lock while it holds
    /// content the online collector wants (retention holds a manifest condemned and then takes this lock).
    /// </summary>
    public static ValueTask<IAsyncDisposable?> BeforeTagWritesAsync(StoreContext context, RepositoryName name, IReadOnlyList<Tag> tags,
        Digest digest, CancellationToken cancellationToken) =>
        tags.Count == 0 || (context.Options.ImmutableTags.IsEmpty && !context.Options.LockTagWrites)
            ? ValueTask.FromResult<IAsyncDisposable?>(null)
            : LockAndCheckAsync(context, name, tags, digest, cancellationToken);

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

    private static List<(Tag Tag, ImmutableTagRule Rule)> Immutable(StoreContext context, RepositoryName name, IReadOnlyList<Tag> tags)
    {
        var immutable = new List<(Tag Tag, ImmutableTagRule Rule)>();
        if (context.Options.ImmutableTags.AnyFor(name))
        {
            foreach (var tag in tags)
            {
                if (context.Options.ImmutableTags.Find(name, tag) is { } rule)
                {
                    immutable.Add((tag, rule));
                }
            }
        }

        return immutable;
    }

    private static async ValueTask CheckMovesAsync(StoreContext context, RepositoryName name, List<(Tag Tag, ImmutableTagRule Rule)> immutable,
        Digest digest, CancellationToken cancellationToken)
    {
        foreach (var (tag, rule) in immutable)
        {
            if (await context.Driver.ReadAsync(RegistryPaths.TagCurrentLink(name, tag), cancellationToken) is { } current && current != digest)
            {
                throw ImmutableTagRules.MoveRefused(rule, name, tag, current, digest);
            }
        }
    }

    private static async ValueTask<IAsyncDisposable?> LockAndCheckAsync(StoreContext context, RepositoryName name, IReadOnlyList<Tag> tags,
        Digest digest, CancellationToken cancellationToken)
    {
        var immutable = Immutable(context, name, tags);
        if (immutable.Count == 0 && !context.Options.LockTagWrites)
        {
            return null;
        }

        var held = await TagWriteLock.AcquireAsync(context, name, cancellationToken);
        try
        {
            await CheckMovesAsync(context, name, immutable, digest, cancellationToken);
            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }
}
