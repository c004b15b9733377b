using Berth.Core.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Berth.Http;

/// <summary>
/// Turns every failure under the registry API into the OCI error envelope: protocol errors with their own code
/// and status, Kestrel's request errors (body too large, cut short) as 4xx, and anything unexpected as a logged
/// 500 that tells the client nothing internal. Also sets the headers every response carries.
/// </summary>
internal sealed partial class RegistryErrorMiddleware(RequestDelegate next, ILogger<RegistryErrorMiddleware> logger,
    Configuration.HttpSettings settings)
{
    /// <summary><c>http.headers</c>, made into header values once rather than on every response.</summary>
    private readonly KeyValuePair<string, StringValues>[] _configuredHeaders =
        [.. settings.Headers.Select(header => KeyValuePair.Create(header.Key, new StringValues(header.Value.ToArray())))];

    public async Task InvokeAsync(HttpContext context)
    {
        AddCommonHeaders(context.Response);
        try
        {
            await next(context);
        }
        catch (RegistryException e)
        {
            await FailAsync(context, e.Status, e.Code, e.Message, e.Detail, e.RetryAfter);
        }
        catch (BadHttpRequestException e)
        {
            await FailAsync(context, e.StatusCode, CodeForBadRequest(context.Request.Path, e.StatusCode), e.Message, null);
        }
        catch (ServiceUnavailableException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogServiceUnavailable(logger, e.Service, context.Request.Method, context.Request.Path, e.Message);
            await FailAsync(context, StatusCodes.Status503ServiceUnavailable, RegistryErrorCode.Unavailable,
                "service unavailable", e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogClientGone(logger, context.Request.Method, context.Request.Path);
        }
        catch (Exception e) when (e is IOException && context.RequestAborted.IsCancellationRequested)
        {
            LogClientGone(logger, context.Request.Method, context.Request.Path);
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
            await FailAsync(context, StatusCodes.Status500InternalServerError, RegistryErrorCode.Unknown, "internal server error", null);
        }
    }

    private async Task FailAsync(HttpContext context, int status, RegistryErrorCode code, string message, string? detail,
        TimeSpan? retryAfter = null)
    {
        if (context.Response.HasStarted)
        {
            // Too late for an answer: cut the connection so the client cannot take a partial body for a whole one.
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Abort();
            return;
        }

        // Clear drops every header; the request id was set before the handler ran and must survive into the error.
        var requestId = context.Response.Headers[HttpHeaderNames.RequestId];
        context.Response.Clear();
        context.Response.Headers[HttpHeaderNames.RequestId] = requestId;
        AddCommonHeaders(context.Response);
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(wait.TotalSeconds, 1))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ErrorWriter.WriteAsync(context, status, code, message, detail);
    }

    /// <summary>Kestrel's own request errors (a body cut short, too large), named for the endpoint they hit.</summary>
    private static RegistryErrorCode CodeForBadRequest(PathString path, int status)
    {
        var value = path.Value ?? string.Empty;
        return status == StatusCodes.Status413PayloadTooLarge ? RegistryErrorCode.SizeInvalid
            : value.Contains("/blobs/uploads", StringComparison.Ordinal) ? RegistryErrorCode.BlobUploadInvalid
            : value.Contains("/manifests/", StringComparison.Ordinal) ? RegistryErrorCode.ManifestInvalid
            : RegistryErrorCode.Unsupported;
    }

    private void AddCommonHeaders(HttpResponse response)
    {
        response.Headers[HttpHeaderNames.ApiVersion] = HttpHeaderNames.ApiVersionValue;
        foreach (var (name, values) in _configuredHeaders)
        {
            response.Headers[name] = values;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "client went away during {Method} {Path}")]
    private static partial void LogClientGone(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} failed during {Method} {Path}: {Reason}")]
    private static partial void LogServiceUnavailable(ILogger logger, string service, string method, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "unexpected failure in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
