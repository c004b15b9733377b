using Berth.Core;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// Retention's removal of a tag: only if it still names the manifest retention judged. Retention decides "remove
/// X, which names D" some time before it acts, and a push may move X to another manifest in between; removing it
/// then would drop an image nobody asked to drop. The check and the removal run under the repository's
/// <see cref="TagWriteLock"/>, which every tag push holds while writing (<see cref="StoreOptions.LockTagWrites"/>),
/// so no push falls between them.
/// </summary>
internal sealed class TagRemover(StoreContext context)
{
    /// <returns>True when the tag was removed; false when it names another manifest, is gone, or is immutable.</returns>
    public async Task<bool> RemoveIfUnchangedAsync(RepositoryName name, Tag tag, Digest expected, CancellationToken cancellationToken)
    {
        if (!context.Options.ImmutableTags.IsEmpty && context.Options.ImmutableTags.Find(name, tag) is not null)
        {
            return false;
        }

        await using var held = await TagWriteLock.AcquireAsync(context, name, cancellationToken);
        if (await context.Driver.ReadAsync(RegistryPaths.TagCurrentLink(name, tag), cancellationToken) != expected)
        {
            return false;
        }

        await context.Driver.DeleteAsync(RegistryPaths.Tag(name, tag), cancellationToken);
        context.TagLists.Invalidate(name.Value);
        return true;
    }
}
