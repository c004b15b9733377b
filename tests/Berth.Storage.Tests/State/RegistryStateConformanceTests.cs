using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.State;

namespace Berth.Storage.Tests.State;

/// <summary>
/// The contract of <see cref="RegistryState"/> that every implementation keeps, in process and in Redis: catalog
/// order and paging, leases exclusive until released or expired, session locks exclusive per key.
/// </summary>
public abstract class RegistryStateConformanceTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A state with nothing in it (Redis: an emptied database).</summary>
    protected abstract Task<RegistryState> CreateStateAsync();

    /// <summary>Lets <paramref name="time"/> pass for the state's leases (a clock step in process, real time in Redis).</summary>
    protected abstract Task LetPassAsync(TimeSpan time);

    /// <summary>A lease short enough to watch expire.</summary>
    protected abstract TimeSpan ShortLease { get; }

    [Fact]
    public async Task Catalog_NamesAddedInAnyOrder_PagedInOrdinalOrderWithLastExclusive()
    {
        using var state = await CreateStateAsync();
        string[] names = ["b", "a/b", "a-b", "a", "A", "z/z/z", "a/b/c"];
        foreach (var name in names)
        {
            await state.Catalog.AddAsync(RepositoryName.Parse(name.ToLowerInvariant()), Ct);
        }

        var expected = names.Select(n => n.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        var seen = new List<string>();
        string? last = null;
        bool more;
        do
        {
            (var page, more) = await state.Catalog.PageAsync(last, 2, Ct);
            Assert.InRange(page.Count, 1, 2);
            seen.AddRange(page);
            last = page[^1];
        }
        while (more);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Catalog_LastBetweenNamesOrAfterAll_StartsAfterIt()
    {
        using var state = await CreateStateAsync();
        foreach (var name in (string[])["alpha", "beta", "gamma"])
        {
            await state.Catalog.AddAsync(RepositoryName.Parse(name), Ct);
        }

        var (between, moreAfterBetween) = await state.Catalog.PageAsync("b", 10, Ct);
        var (after, moreAfterAll) = await state.Catalog.PageAsync("gamma", 10, Ct);
        var (none, moreThanNone) = await state.Catalog.PageAsync(null, 0, Ct);

        Assert.Equal(["beta", "gamma"], between);
        Assert.False(moreAfterBetween);
        Assert.Empty(after);
        Assert.False(moreAfterAll);
        Assert.Empty(none);
        Assert.True(moreThanNone);
    }

    [Fact]
    public async Task Catalog_Removed_NeitherListedNorContainedUntilAddedAgain()
    {
        using var state = await CreateStateAsync();
        foreach (var name in (string[])["team", "team/app", "zeta"])
        {
            await state.Catalog.AddAsync(RepositoryName.Parse(name), Ct);
        }

        await state.Catalog.RemoveAsync(RepositoryName.Parse("team"), Ct);
        var afterRemove = await state.Catalog.PageAsync(null, 10, Ct);
        var containedAfterRemove = await state.Catalog.ContainsAsync(RepositoryName.Parse("team"), Ct);
        await state.Catalog.AddAsync(RepositoryName.Parse("team"), Ct);

        Assert.Equal(["team/app", "zeta"], afterRemove.Names);
        Assert.False(containedAfterRemove);
        Assert.Equal(["team", "team/app", "zeta"], (await state.Catalog.PageAsync(null, 10, Ct)).Names);
    }

    [Fact]
    public async Task Catalog_Contains_OnlyAddedNames()
    {
        using var state = await CreateStateAsync();
        await state.Catalog.AddAsync(RepositoryName.Parse("team/app"), Ct);
        await state.Catalog.AddAsync(RepositoryName.Parse("team/app"), Ct);

        Assert.True(await state.Catalog.ContainsAsync(RepositoryName.Parse("team/app"), Ct));
        Assert.False(await state.Catalog.ContainsAsync(RepositoryName.Parse("team"), Ct));
        Assert.Equal(["team/app"], (await state.Catalog.PageAsync(null, 10, Ct)).Names);
    }

    [Fact]
    public async Task Catalog_Initialize_ListsTheRepositoriesInStorage()
    {
        var driver = new InMemoryDriver();
        var digest = Digest.Compute("x"u8);
        await driver.WriteLinkAsync(RegistryPaths.LayerLink(RepositoryName.Parse("stored/one"), digest), digest, Ct);
        await driver.WriteLinkAsync(RegistryPaths.RevisionLink(RepositoryName.Parse("stored/two"), digest), digest, Ct);
        using var state = await CreateStateAsync();

        await state.Catalog.InitializeAsync(driver, Ct);

        Assert.Equal(["stored/one", "stored/two"], (await state.Catalog.PageAsync(null, 10, Ct)).Names);
    }

    [Fact]
    public async Task Lease_Held_NobodyElseGetsItUntilReleased()
    {
        using var state = await CreateStateAsync();

        var first = await state.Leases.TryAcquireAsync("gc", TimeSpan.FromMinutes(1), Ct);
        var second = await state.Leases.TryAcquireAsync("gc", TimeSpan.FromMinutes(1), Ct);
        var other = await state.Leases.TryAcquireAsync("other", TimeSpan.FromMinutes(1), Ct);
        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(other);

        await first.DisposeAsync();
        await using var third = await state.Leases.TryAcquireAsync("gc", TimeSpan.FromMinutes(1), Ct);
        Assert.NotNull(third);
        await other.DisposeAsync();
    }

    [Fact]
    public async Task Lease_NotRenewed_ExpiresAndTheOldHolderCannotRenewOrReleaseIt()
    {
        using var state = await CreateStateAsync();
        var stale = await state.Leases.TryAcquireAsync("gc", ShortLease, Ct);
        Assert.NotNull(stale);

        await LetPassAsync(ShortLease * 2);
        await using var taken = await state.Leases.TryAcquireAsync("gc", TimeSpan.FromMinutes(1), Ct);

        Assert.NotNull(taken);
        Assert.False(await stale.RenewAsync(Ct));
        await stale.DisposeAsync();
        Assert.Null(await state.Leases.TryAcquireAsync("gc", TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task Lease_Renewed_OutlivesItsFirstDuration()
    {
        using var state = await CreateStateAsync();
        await using var lease = await state.Leases.TryAcquireAsync("gc", ShortLease, Ct);
        Assert.NotNull(lease);

        await LetPassAsync(ShortLease / 2);
        Assert.True(await lease.RenewAsync(Ct));
        await LetPassAsync(ShortLease * 3 / 4);

        Assert.Null(await state.Leases.TryAcquireAsync("gc", ShortLease, Ct));
    }

    [Fact]
    public async Task SessionLock_SameKey_SecondWaitsForTheFirst()
    {
        using var state = await CreateStateAsync();
        var first = await state.UploadLocks.AcquireAsync("repo@session", Ct);

        var second = state.UploadLocks.AcquireAsync("repo@session", Ct).AsTask();
        await using (await state.UploadLocks.AcquireAsync("repo@other", Ct))
        {
            Assert.False(second.IsCompleted);
        }

        await first.DisposeAsync();
        await using var held = await second.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }
}
