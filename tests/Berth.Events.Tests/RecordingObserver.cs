namespace Berth.Events.Tests;

/// <summary>An observer that writes down every call, one line each, in the order they came.</summary>
internal sealed class RecordingObserver : INotificationObserver
{
    private readonly List<string> _calls = [];

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public void Queued(string endpoint) => Add($"queued {endpoint}");

    public void Dropped(string endpoint) => Add($"dropped {endpoint}");

    public void Answered(string endpoint, int status, bool accepted) => Add($"answered {endpoint} {status} {(accepted ? "accepted" : "refused")}");

    public void Unanswered(string endpoint) => Add($"unanswered {endpoint}");

    private void Add(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }
}
