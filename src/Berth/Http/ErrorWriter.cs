using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Http;

/// <summary>The one place that renders the OCI error envelope <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
internal static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext context, int status, RegistryErrorCode code, string message, string? detail)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        // Serialized whole and sent with a Content-Length rather than chunked: the envelope is small, and a client
        // whose request is being cut off (reset) still gets a complete, self-delimited answer in one write.
        var envelope = new ErrorEnvelope([new ErrorEntry(code.WireName(), message, detail)]);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(envelope, BerthJsonContext.Wire.ErrorEnvelope);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
