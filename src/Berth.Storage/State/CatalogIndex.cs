using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.State;

/// <summary>
/// The sorted names of all repositories in this process, read from storage at start and kept current as this
/// process writes, so a catalog page never walks storage. A repository is listed once it holds a blob link or a
/// manifest, which covers what registry:2 lists too.
/// </summary>
/// <remarks>
/// Other nodes' writes are invisible here. With a refresh interval the whole tree is walked again in the background
/// each interval and the index replaced by what was found plus what this process added meanwhile, so another node's
/// repository is listed at most one interval plus one walk after it was pushed. Without one (a single node on a
/// filesystem) storage is read once, as before.
/// </remarks>
internal sealed partial class CatalogIndex(TimeProvider time, TimeSpan? refreshInterval = null, ILogger? logger = null) : ICatalogIndex, IDisposable
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _lock = new();
    private SortedSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Names added while a refresh walks storage; the walk may have passed them already. Null when none runs.</summary>
    private HashSet<string>? _addedDuringRefresh;

    /// <summary>Names removed while a refresh walks storage; the walk may have seen them before they went. Null when none runs.</summary>
    private HashSet<string>? _removedDuringRefresh;
    private ITimer? _timer;
    private int _refreshing;

    public CatalogIndex()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The refresh in progress or last finished (for tests that drive the clock).</summary>
    internal Task LastRefresh { get; private set; } = Task.CompletedTask;

    public ValueTask<RepositoryPage> PageAsync(string? last, int count, CancellationToken cancellationToken) => ValueTask.FromResult(Page(last, count));

    public RepositoryPage Page(string? last, int count)
    {
        lock (_lock)
        {
            IEnumerable<string> after = _names;
            if (last is not null)
            {
                // The view is O(log n) to find; 'last' itself is excluded as the spec says.
                after = _names.Count == 0 || string.CompareOrdinal(last, _names.Max) >= 0
                    ? []
                    : _names.GetViewBetween(last, _names.Max!).Where(name => name != last);
            }

            var page = after.Take(count + 1).ToList();
            var hasMore = page.Count > count;
            return new RepositoryPage(hasMore ? page[..count] : page, hasMore);
        }
    }

    public ValueTask<bool> ContainsAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_names.Contains(name.Value));
        }
    }

    public ValueTask AddAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _names.Add(name.Value);
            _addedDuringRefresh?.Add(name.Value);
            _removedDuringRefresh?.Remove(name.Value);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _names.Remove(name.Value);
            _addedDuringRefresh?.Remove(name.Value);
            _removedDuringRefresh?.Add(name.Value);
        }

        return ValueTask.CompletedTask;
    }

    public async Task InitializeAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        var found = await CatalogScan.FindAsync(driver, cancellationToken);
        lock (_lock)
        {
            _names.UnionWith(found);
        }

        if (refreshInterval is { } interval)
        {
            _timer = time.CreateTimer(_ => Refresh(driver), null, interval, interval);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Refresh(IStorageDriver driver)
    {
        // A walk slower than the interval is not started twice; the tick is skipped.
        if (Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            LastRefresh = RefreshAsync(driver);
        }
    }

    private async Task RefreshAsync(IStorageDriver driver)
    {
        try
        {
            lock (_lock)
            {
                _addedDuringRefresh = new HashSet<string>(StringComparer.Ordinal);
                _removedDuringRefresh = new HashSet<string>(StringComparer.Ordinal);
            }

            var found = await CatalogScan.FindAsync(driver, CancellationToken.None);
            lock (_lock)
            {
                found.UnionWith(_addedDuringRefresh!);
                found.ExceptWith(_removedDuringRefresh!);
                _names = found;
            }
        }
        catch (Exception e)
        {
            // The index keeps what it had; the next tick tries again. Storage failing is reported by its own requests.
            LogRefreshFailed(_logger, e);
        }
        finally
        {
            lock (_lock)
            {
                _addedDuringRefresh = null;
                _removedDuringRefresh = null;
            }

            Volatile.Write(ref _refreshing, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "catalog refresh from storage failed; the catalog keeps its previous names until the next refresh")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
