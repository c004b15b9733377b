namespace Berth.Core.Errors;

/// <summary>
/// A protocol failure that the client caused or must be told about. The host renders it, in one place, as the
/// OCI error envelope <c>{"errors":[{"code","message","detail"}]}</c> with <see cref="Status"/>.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorCode code, string message, string? detail = null, int? status = null)
        : base(message)
    {
        Code = code;
        Detail = detail;
        Status = status ?? code.DefaultStatus();
    }

    public RegistryException() : this(RegistryErrorCode.Unknown, "unknown error")
    {
    }

    public RegistryException(string message) : this(RegistryErrorCode.Unknown, message)
    {
    }

    public RegistryException(string message, Exception innerException) : base(message, innerException)
    {
        Code = RegistryErrorCode.Unknown;
        Status = 500;
    }

    public RegistryErrorCode Code { get; }

    public string? Detail { get; }

    public int Status { get; }

    /// <summary>How long the client should wait before it asks again (sent as <c>Retry-After</c>), when known.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
