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

        var envelope = new ErrorEnvelope([new ErrorEntry(code.WireName(), message, detail)]);
        await JsonSerializer.SerializeAsync(response.Body, envelope, BerthJsonContext.Wire.ErrorEnvelope, context.RequestAborted);
    }
}
