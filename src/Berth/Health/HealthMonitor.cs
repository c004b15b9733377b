namespace Berth.Health;

/// <summary>
/// Runs every check on its own timer (never per request) and keeps the verdict in one volatile field, so the
/// registry port pays a single read per request to know whether to answer 503.
/// </summary>
internal sealed partial class HealthMonitor : IAsyncDisposable
{
    private readonly CheckState[] _states;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Guards every state and the verdict together, so two checks finishing at once cannot leave a stale verdict.</summary>
    private readonly Lock _gate = new();
    private volatile bool _healthy = true;
    private volatile bool _ready;

    public HealthMonitor(IEnumerable<HealthCheck> checks, TimeProvider time, ILogger logger)
    {
        _states = [.. checks.Select(check => new CheckState(check))];
        _time = time;
        _logger = logger;
    }

    /// <summary>No check counts as failed. True before the first results, as in registry:2.</summary>
    public bool IsHealthy => _healthy;

    /// <summary>Storage is initialized and the registry port is listening (see <see cref="MarkReady"/>).</summary>
    public bool IsReady => _ready && _healthy;

    public int Count => _states.Length;

    /// <summary>Starts every check: the first run is now (registry:2 waits one interval), then one per interval.</summary>
    public void Start()
    {
        foreach (var state in _states)
        {
            var each = state;
            state.Timer = _time.CreateTimer(_ => Fire(each), null, TimeSpan.Zero, state.Check.Interval);
        }
    }

    public void MarkReady() => _ready = true;

    /// <summary>The checks that count as failed, by name, with their last error; sorted, as registry:2's JSON is.</summary>
    public SortedDictionary<string, string> Failures()
    {
        var failures = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var state in _states)
        {
            lock (_gate)
            {
                if (state.Failed)
                {
                    failures[state.Check.Name] = state.LastError ?? "failed";
                }
            }
        }

        return failures;
    }

    private void Fire(CheckState state)
    {
        // A probe slower than its interval is not run twice at once; the tick is skipped.
        if (Interlocked.Exchange(ref state.Running, 1) == 0)
        {
            _ = RunAsync(state);
        }
    }

    private async Task RunAsync(CheckState state)
    {
        try
        {
            string? error = null;
            try
            {
                await state.Check.ProbeAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                error = e.Message;
            }

            Record(state, error);
        }
        finally
        {
            Volatile.Write(ref state.Running, 0);
        }
    }

    /// <summary>One result: a success resets the count, a failure adds to it (registry:2's threshold updater).</summary>
    private void Record(CheckState state, string? error)
    {
        bool wasFailed, failed;
        lock (_gate)
        {
            wasFailed = state.Failed;
            state.ConsecutiveFailures = error is null ? 0 : Math.Min(state.ConsecutiveFailures + 1, state.Check.Threshold);
            state.LastError = error;
            failed = state.Failed;
            _healthy = _states.All(s => !s.Failed);
        }

        if (failed != wasFailed)
        {
            if (failed)
            {
                LogFailed(_logger, state.Check.Name, error!);
            }
            else
            {
                LogRecovered(_logger, state.Check.Name);
            }
        }
    }

    /// <summary>Stops the timers and cancels probes in flight; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var state in _states)
        {
            state.Timer?.Dispose();
        }

        // Cancelled, not disposed: a probe still finishing may read its token, and this source owns no timer.
        await _stopping.CancelAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "health check {Name} failed: {Error}; the registry answers 503 until it passes")]
    private static partial void LogFailed(ILogger logger, string name, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "health check {Name} passes again")]
    private static partial void LogRecovered(ILogger logger, string name);

    private sealed class CheckState(HealthCheck check)
    {
        public HealthCheck Check { get; } = check;

        public ITimer? Timer { get; set; }

        public int Running;

        public int ConsecutiveFailures;

        public string? LastError;

        /// <summary>Read and written under the monitor's gate.</summary>
        public bool Failed => ConsecutiveFailures >= Check.Threshold;
    }
}
