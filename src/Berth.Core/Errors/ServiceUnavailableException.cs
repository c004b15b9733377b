namespace Berth.Core.Errors;

/// <summary>
/// A service Berth depends on (the object store, Redis) failed or did not answer in time. The request is answered
/// 503 UNAVAILABLE, never 500: the client may retry, and nothing it sent was acknowledged.
/// </summary>
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException(string service, string detail, Exception? innerException = null)
        : base($"{service} unavailable: {detail}", innerException)
    {
        Service = service;
    }

    public ServiceUnavailableException()
    {
        Service = "service";
    }

    public ServiceUnavailableException(string message)
        : base(message)
    {
        Service = "service";
    }

    public ServiceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Service = "service";
    }

    /// <summary>Which service failed (<c>s3</c>, <c>azure</c>, <c>redis</c>), for the error detail and the log.</summary>
    public string Service { get; }
}
