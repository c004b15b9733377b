using Azure;
using Azure.Identity;
using Berth.Core.Errors;

namespace Berth.Storage.Azure;

/// <summary>
/// Which SDK failures mean "the object store cannot serve us now" (answered 503 UNAVAILABLE, the client may retry)
/// rather than a bug or an expected absence.
/// </summary>
internal static class AzureErrors
{
    public const string Service = "azure";

    /// <summary>
    /// Runs one driver operation and turns a store that failed or did not answer into a
    /// <see cref="ServiceUnavailableException"/>. Cancellation by the caller stays cancellation.
    /// </summary>
    public static async Task<T> Guard<T>(string operation, string name, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            throw Unavailable(operation, name, e);
        }
    }

    public static Task Guard(string operation, string name, Func<Task> action, CancellationToken cancellationToken) =>
        Guard(operation, name, async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    public static ServiceUnavailableException Unavailable(string operation, string name, Exception e) =>
        new(Service, $"{operation} '{name}' failed: {Describe(e)}", e);

    public static bool IsNotFound(RequestFailedException e) => e.Status == 404;

    /// <summary>
    /// Transport failures and timeouts (status 0, or no response at all), throttling, 5xx, and refused credentials
    /// (a key or identity the store no longer accepts is nothing the client can fix by changing its request).
    /// </summary>
    public static bool IsUnavailable(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        RequestFailedException failed => failed.Status is 0 or 401 or 403 or 408 or 429 or >= 500,
        AggregateException many => many.InnerExceptions.All(inner => IsUnavailable(inner, cancellationToken)),
        HttpRequestException or IOException or TimeoutException or OperationCanceledException => true,
        AuthenticationFailedException or CredentialUnavailableException => true,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}",
        AggregateException { InnerExceptions.Count: > 0 } many => $"{many.InnerExceptions.Count} tries: {Describe(many.InnerExceptions[^1])}",
        _ => e.GetBaseException().Message,
    };
}
