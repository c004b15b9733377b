namespace Berth.Proxy.Upstream;

/// <summary>An upstream, or its token server, answered in a way Berth cannot use; the message says how, without secrets.</summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException()
    {
    }

    public UpstreamException(string message)
        : base(message)
    {
    }

    public UpstreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
