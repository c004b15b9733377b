namespace Berth.Proxy.Mirror;

/// <summary>
/// What the cache has to tell about the request it is serving: that its answer is stale, because the upstream could
/// not be asked. The host begins one per request (an async-local, so the stores deep below reach it without the
/// request being passed down) and turns it into a <c>Warning</c> header and a log line.
/// </summary>
public sealed class MirrorNotice
{
    private static readonly AsyncLocal<MirrorNotice?> CurrentNotice = new();

    /// <summary>Why the cached answer was served without the upstream's word, or null when it was not.</summary>
    public string? StaleBecause { get; private set; }

    /// <summary>Starts the notice of the request running on this async flow.</summary>
    public static MirrorNotice Begin()
    {
        var notice = new MirrorNotice();
        CurrentNotice.Value = notice;
        return notice;
    }

    internal static void ServedStale(string reason)
    {
        if (CurrentNotice.Value is { } notice)
        {
            notice.StaleBecause = reason;
        }
    }
}
