using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Gc.Online;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>Blobs linked into one repository (<c>_layers/&lt;alg&gt;/&lt;hex&gt;/link</c>), content under <c>blobs/</c>.</summary>
internal sealed class BlobStore(StoreContext context, RepositoryName name) : IBlobStore
{
    public async Task<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var ticket = await context.Barrier.BeginWriteAsync(cancellationToken);
        return await StatAsync(digest, ticket, cancellationToken);
    }

    /// <summary>
    /// The blob if linked here, protected by <paramref name="ticket"/> before its content is looked at: a blob the online
    /// collector is deleting is unknown already; one found here stays through the next collection, so the manifest
    /// push that a HEAD or a mount precedes finds it (ICollectionBarrier).
    /// </summary>
    internal async Task<BlobInfo?> StatAsync(Digest digest, IWriteTicket ticket, CancellationToken cancellationToken)
    {
        var linked = await context.Driver.ReadAsync(RegistryPaths.LayerLink(name, digest), cancellationToken);
        return linked == digest && await ticket.TryProtectAsync(digest, cancellationToken) ? await StatContentAsync(digest, cancellationToken) : null;
    }

    public async Task<Stream> OpenReadAsync(BlobInfo blob, long offset, CancellationToken cancellationToken) =>
        await context.Driver.OpenReadAsync(RegistryPaths.BlobData(blob.Digest), offset, cancellationToken)
        ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", blob.Digest.ToString());

    public ValueTask<Uri?> RedirectAsync(BlobInfo blob, CancellationToken cancellationToken) =>
        context.Options.RedirectDisabled ? ValueTask.FromResult<Uri?>(null) : context.Driver.ReadUrlAsync(RegistryPaths.BlobData(blob.Digest), cancellationToken);

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        DeletePolicy.EnsureEnabled(context.Options);
        var link = RegistryPaths.LayerLink(name, digest);
        if (await context.Driver.StatAsync(link, cancellationToken) is null)
        {
            return false;
        }

        await context.Driver.DeleteAsync(RegistryPaths.LayerLinkFolder(name, digest), cancellationToken);
        return true;
    }

    public async Task<BlobInfo?> MountAsync(Digest digest, RepositoryName from, CancellationToken cancellationToken)
    {
        var source = await new BlobStore(context, from).StatAsync(digest, cancellationToken);
        if (source is null)
        {
            return null;
        }

        await LinkAsync(digest, cancellationToken);
        return source;
    }

    /// <summary>Makes published content visible in this repository. The content must already be durable.</summary>
    public async Task LinkAsync(Digest digest, CancellationToken cancellationToken)
    {
        await context.Driver.WriteLinkAsync(RegistryPaths.LayerLink(name, digest), digest, cancellationToken);
        await context.Catalog.AddAsync(name, cancellationToken);
    }

    /// <summary>The content itself, linked or not.</summary>
    public async Task<BlobInfo?> StatContentAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = RegistryPaths.BlobData(digest);
        var entry = await context.Driver.StatAsync(path, cancellationToken);
        return entry is { IsDirectory: false } ? new BlobInfo(digest, entry.Size, context.Driver.LocalPath(path)) : null;
    }
}
