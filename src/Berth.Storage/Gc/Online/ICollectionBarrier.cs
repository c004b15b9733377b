using Berth.Core;

namespace Berth.Storage.Gc.Online;

/// <summary>
/// What pushes and the online garbage collector agree on, so that collecting while people push never loses content
/// a client was told it has, for any grace period (zero included) and any number of nodes.
/// </summary>
/// <remarks>
/// <para><b>The argument, in one place.</b> Content is in use when a manifest in some repository names it. The
/// collector marks what manifests name, then deletes what is unmarked. Two things can go wrong while requests run:
/// (1) a manifest written after the mark phase looked at its repository names content the mark did not see;
/// (2) a request checks that content exists, the collector deletes it, and the request then writes a manifest
/// naming it. Both are closed by cycles, tickets and protection, without any waiting period:</para>
/// <list type="number">
/// <item>Every request that makes content needed (manifest PUT, upload commit, mount, blob HEAD that answers 200)
/// takes a <see cref="IWriteTicket"/> first. The ticket carries the cycle number current when it was taken and is
/// counted as in flight until the request's writes are durable.</item>
/// <item>A collection starts cycle N (<see cref="StartCycleAsync"/>) and then waits until no ticket of a cycle
/// before N is in flight (<see cref="WaitForEarlierWritesAsync"/>). Every request that took its ticket before the
/// cycle began has therefore written its manifest before the mark phase starts, and the mark sees it: (1) can only
/// come from tickets of cycle N.</item>
/// <item>Before a request relies on a digest, its ticket protects it (<see cref="IWriteTicket.ProtectAsync"/>): the
/// digest joins the protected set of the ticket's cycle, and the answer says whether the collector has already
/// condemned it. Before the collector deletes a digest it condemns it (<see cref="TryCondemnAsync"/>), which fails
/// when the digest is protected in cycle N or N - 1. Protection and condemnation are one atomic step each against
/// the same state (one lock in one process; one Redis script for several nodes), so of a request and a deletion of
/// the same digest, whichever comes second sees the first: either the request sees "condemned" and treats the
/// content as absent (a manifest PUT answers MANIFEST_BLOB_UNKNOWN and the client uploads again; an upload commit
/// waits until the deletion is done, <see cref="IWriteTicket.WaitUntilReleasedAsync"/>, and then writes the content
/// anew), or the collector sees "protected" and keeps it: (2) cannot happen, and neither can (1), since everything
/// a cycle-N request names is protected in cycle N.</item>
/// <item>Protection in cycle N - 1 is also honoured, so what a HEAD confirmed or an upload stored stays through the
/// next collection too: a client has a whole interval between collections to push the manifest that names it. If it
/// takes longer, its push fails cleanly (MANIFEST_BLOB_UNKNOWN) and clients upload again; nothing acknowledged is lost,
/// because an acknowledged manifest is itself in use.</item>
/// </list>
/// <para>Grace (keeping unreferenced content for some time) is for people, not for safety: the collector may skip
/// recent content, but nothing above depends on time. Cycles never overlap: one collector runs at a time, under a
/// lease.</para>
/// </remarks>
public interface ICollectionBarrier
{
    /// <summary>For a request about to rely on content existing: its ticket, counted in flight until disposed.</summary>
    ValueTask<IWriteTicket> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>Starts a new cycle and returns its number; the previous cycle's protection stays in force.</summary>
    ValueTask<long> StartCycleAsync(CancellationToken cancellationToken);

    /// <summary>Waits until no ticket taken before <paramref name="cycle"/> began is still in flight.</summary>
    Task WaitForEarlierWritesAsync(long cycle, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the digest as about to be deleted, unless a ticket protected it in <paramref name="cycle"/> or the one
    /// before. True: delete it, then call <see cref="ReleaseAsync"/>. False: keep it.
    /// </summary>
    ValueTask<bool> TryCondemnAsync(Digest digest, long cycle, CancellationToken cancellationToken);

    /// <summary>The deletion of a condemned digest is done (or abandoned): requests waiting for it go on.</summary>
    ValueTask ReleaseAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Forgets the protection of cycles before <paramref name="cycle"/> - 1, which no later cycle consults.</summary>
    ValueTask EndCycleAsync(long cycle, CancellationToken cancellationToken);
}

/// <summary>A request's part in the protocol of <see cref="ICollectionBarrier"/>; disposing it ends the request's writes.</summary>
public interface IWriteTicket : IAsyncDisposable
{
    /// <summary>The cycle current when the ticket was taken.</summary>
    long Cycle { get; }

    /// <summary>
    /// Protects the digests for this cycle and the next. Returns those the collector has condemned: treat them as
    /// absent (for content about to be written, <see cref="WaitUntilReleasedAsync"/> first).
    /// </summary>
    ValueTask<IReadOnlySet<Digest>> ProtectAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ProtectAsync(IReadOnlyCollection{Digest}, CancellationToken)"/> for one digest, without allocating:
    /// true when it is protected and may be relied on, false when the collector has condemned it.
    /// </summary>
    ValueTask<bool> TryProtectAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Waits until a condemned digest is deleted and released, so that writing its content anew is safe.</summary>
    ValueTask WaitUntilReleasedAsync(Digest digest, CancellationToken cancellationToken);
}
