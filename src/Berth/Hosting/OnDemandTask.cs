namespace Berth.Hosting;

/// <summary>
/// Background work started at most once, and only when first wanted: the count of storage used that the web page
/// needs is not made by a server nobody looks at.
/// </summary>
internal sealed class OnDemandTask
{
    private readonly Lock _starting = new();
    private Func<Task>? _work;
    private Task? _running;

    /// <summary>The work that <see cref="Start"/> runs; none means <see cref="Start"/> does nothing.</summary>
    public void Prepare(Func<Task>? work) => _work = work;

    public void Start()
    {
        if (_running is not null || _work is not { } work)
        {
            return;
        }

        lock (_starting)
        {
            _running ??= Task.Run(work);
        }
    }

    /// <summary>The work, once started; complete when it was never started.</summary>
    public Task Running => _running ?? Task.CompletedTask;
}
