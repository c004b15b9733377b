using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Core.Stores;
using Berth.Storage.Gc.Online;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// Manifests of one repository. The bytes live under <c>blobs/</c> like any content; the repository holds a
/// revision link, tags hold links to revisions. Write order is content, then revision link, then tag links, so
/// anything a link points at is already durable.
/// </summary>
internal sealed class ManifestStore(StoreContext context, RepositoryName name, BlobStore blobs) : IManifestStore, IMirroredManifests
{
    public async Task<StoredManifest?> GetAsync(Reference reference, CancellationToken cancellationToken)
    {
        var digest = await ResolveAsync(reference, cancellationToken);
        if (digest is null || await context.Driver.StatAsync(RegistryPaths.RevisionLink(name, digest.Value), cancellationToken) is null)
        {
            return null;
        }

        return await LoadAsync(digest.Value, cancellationToken);
    }

    public Task<StoredManifest> PutAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType,
        IReadOnlyList<Tag> extraTags, CancellationToken cancellationToken) =>
        WriteAsync(reference, bytes, contentType, extraTags, mirrored: false, cancellationToken);

    public Task<StoredManifest> PutMirroredAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType,
        CancellationToken cancellationToken) =>
        WriteAsync(reference, bytes, contentType, [], mirrored: true, cancellationToken);

    /// <param name="mirrored">An upstream's manifest kept by the pull-through cache: its references may not be here yet,
    /// and immutability rules are for what is pushed here.</param>
    private async Task<StoredManifest> WriteAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType,
        IReadOnlyList<Tag> extraTags, bool mirrored, CancellationToken cancellationToken)
    {
        var digest = reference.Digest is { } expected ? expected.ComputeSameAlgorithm(bytes.Span) : Digest.Compute(bytes.Span);
        if (reference.Digest is { } claimed && claimed != digest)
        {
            throw new RegistryException(RegistryErrorCode.DigestInvalid, "manifest digest does not match its content",
                $"the reference says {claimed}, the content is {digest}");
        }

        var manifest = ManifestParser.Parse(bytes.Span, contentType);
        IReadOnlyList<Tag> tags = reference.Tag is { } own ? [own, .. extraTags] : extraTags;
        // Before the collection ticket: a push refused for moving an immutable tag never holds up a collection.
        if (!mirrored)
        {
            await ImmutableTagGuard.RefuseMoveAsync(context, name, tags, digest, cancellationToken);
        }
        // Held until the links are written: a collection that starts meanwhile waits for it (ICollectionBarrier).
        await using var ticket = await context.Barrier.BeginWriteAsync(cancellationToken);
        if (!mirrored)
        {
            await EnsureReferencesExistAsync(manifest, ticket, cancellationToken);
        }

        if (!await ticket.TryProtectAsync(digest, cancellationToken))
        {
            // The collector is deleting this very content (an untagged manifest pushed again): write it anew after.
            await ticket.WaitUntilReleasedAsync(digest, cancellationToken);
        }

        var content = RegistryPaths.BlobData(digest);
        if (await context.Driver.StatAsync(content, cancellationToken) is null)
        {
            await context.Driver.WriteAllAsync(content, bytes, cancellationToken);
        }

        await context.Driver.WriteLinkAsync(RegistryPaths.RevisionLink(name, digest), digest, cancellationToken);
        if (manifest.Subject is { } subject)
        {
            await context.Driver.WriteLinkAsync(RegistryPaths.ReferrerLink(name, subject.Digest, digest), digest, cancellationToken);
        }

        // The tag lock only now, with the content written: see ImmutableTagGuard.BeforeTagWritesAsync.
        await using (mirrored
                         ? await MirroredTagLockAsync(tags, cancellationToken)
                         : await ImmutableTagGuard.BeforeTagWritesAsync(context, name, tags, digest, cancellationToken))
        {
            foreach (var tag in tags)
            {
                // current first: a crash between the two leaves a complete tag without history, never a tag without a target.
                await context.Driver.WriteLinkAsync(RegistryPaths.TagCurrentLink(name, tag), digest, cancellationToken);
                await context.Driver.WriteLinkAsync(RegistryPaths.TagIndexLink(name, tag, digest), digest, cancellationToken);
            }
        }

        if (tags.Count > 0)
        {
            context.TagLists.Invalidate(name.Value);
        }

        await context.Catalog.AddAsync(name, cancellationToken);
        var stored = new StoredManifest(digest, bytes.ToArray(), manifest);
        context.Manifests.Put(stored);
        return stored;
    }

    /// <summary>
    /// A mirrored tag follows its upstream, whatever the immutability rules say, but still takes the tag lock retention's
    /// compare-and-remove relies on (<see cref="StoreOptions.LockTagWrites"/>).
    /// </summary>
    private async ValueTask<IAsyncDisposable?> MirroredTagLockAsync(IReadOnlyList<Tag> tags, CancellationToken cancellationToken) =>
        tags.Count == 0 || !context.Options.LockTagWrites ? null : await TagWriteLock.AcquireAsync(context, name, cancellationToken);

    public async Task<bool> DeleteAsync(Reference reference, CancellationToken cancellationToken)
    {
        DeletePolicy.EnsureEnabled(context.Options);
        if (reference.Tag is { } tag)
        {
            if (await context.Driver.ReadAsync(RegistryPaths.TagCurrentLink(name, tag), cancellationToken) is null)
            {
                return false;
            }

            ImmutableTagGuard.BeforeTagDelete(context, name, tag);
            await context.Driver.DeleteAsync(RegistryPaths.Tag(name, tag), cancellationToken);
            context.TagLists.Invalidate(name.Value);
            return true;
        }

        var digest = reference.Digest!.Value;
        if (await context.Driver.StatAsync(RegistryPaths.RevisionLink(name, digest), cancellationToken) is null)
        {
            return false;
        }

        var tags = await TagsPointingAtAsync(digest, cancellationToken);
        ImmutableTagGuard.BeforeManifestDelete(context, name, digest, tags);
        foreach (var tagged in tags)
        {
            await context.Driver.DeleteAsync(RegistryPaths.Tag(name, tagged), cancellationToken);
        }

        context.TagLists.Invalidate(name.Value);
        if (await LoadAsync(digest, cancellationToken) is { Manifest.Subject: { } subject })
        {
            await context.Driver.DeleteAsync(RegistryPaths.ReferrerLink(name, subject.Digest, digest).Parent, cancellationToken);
        }

        await context.Driver.DeleteAsync(RegistryPaths.RevisionLinkFolder(name, digest), cancellationToken);
        return true;
    }

    /// <summary>Reads a manifest's content by digest (cached: content under a digest never changes).</summary>
    public async Task<StoredManifest?> LoadAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (context.Manifests.Get(digest) is { } cached)
        {
            return cached;
        }

        var bytes = await context.Driver.ReadAllAsync(RegistryPaths.BlobData(digest), cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        var stored = new StoredManifest(digest, bytes, ManifestParser.ParseStored(bytes));
        context.Manifests.Put(stored);
        return stored;
    }

    private async Task<Digest?> ResolveAsync(Reference reference, CancellationToken cancellationToken) =>
        reference.Tag is { } tag
            ? await context.Driver.ReadAsync(RegistryPaths.TagCurrentLink(name, tag), cancellationToken)
            : reference.Digest;

    /// <summary>
    /// The blobs an image names and the children an index names must already be in this repository, as far as the
    /// <c>validation</c> rules ask (<see cref="ManifestDependencies"/>), and not be condemned by the online collector:
    /// the ticket protects them first, so what is found here stays.
    /// </summary>
    private async Task EnsureReferencesExistAsync(Manifest manifest, IWriteTicket ticket, CancellationToken cancellationToken)
    {
        var required = ManifestDependencies.Of(manifest, context.Options.Validation);
        var missing = new List<string>();
        foreach (var child in required.Manifests)
        {
            if (!await ticket.TryProtectAsync(child, cancellationToken)
                || await context.Driver.StatAsync(RegistryPaths.RevisionLink(name, child), cancellationToken) is null)
            {
                missing.Add(child.ToString());
            }
        }

        foreach (var blob in required.Blobs)
        {
            if (await blobs.StatAsync(blob, ticket, cancellationToken) is null)
            {
                missing.Add(blob.ToString());
            }
        }

        if (missing.Count > 0)
        {
            throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "manifest references content unknown to the repository",
                string.Join(", ", missing.Distinct()));
        }
    }

    private async Task<List<Tag>> TagsPointingAtAsync(Digest digest, CancellationToken cancellationToken)
    {
        var tags = new List<Tag>();
        await foreach (var tagFolder in context.Driver.ListAsync(RegistryPaths.Tags(name), cancellationToken))
        {
            if (tagFolder.IsDirectory && Tag.TryParse(tagFolder.Path.Name, out var tag)
                && await context.Driver.ReadAsync(RegistryPaths.TagCurrentLink(name, tag), cancellationToken) == digest)
            {
                tags.Add(tag);
            }
        }

        return tags;
    }
}
