using System.Text.Encodings.Web;

namespace Berth.Ui;

/// <summary>
/// The one HTML document of the page: a shell the script fills from <c>/ui/api/</c>. It holds no data, so nothing
/// untrusted is ever rendered into HTML by the server; the script sets only text. The headers forbid every script,
/// style and connection that is not Berth's own.
/// </summary>
internal static class UiPage
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The headers every answer of the page, its assets and its API carries.</summary>
    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }

    public static async Task ServeAsync(HttpContext context, UiAssets assets)
    {
        var root = HtmlEncoder.Default.Encode(context.Request.PathBase.Value + "/ui/");
        var version = assets.Version;
        var html = $$"""
            <!doctype html>
            <html lang="en" data-root="{{root}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>Berth</title>
            <link rel="icon" href="{{root}}assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="{{root}}assets/app.css?v={{version}}">
            <script type="module" src="{{root}}assets/app.js?v={{version}}"></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <a class="brand" href="#/">Berth</a>
            <nav aria-label="Main"><a href="#/">Overview</a><a href="#/repositories">Repositories</a></nav>
            <div class="account" id="account"></div>
            </header>
            <p id="status" role="status" aria-live="polite"></p>
            <main id="main" tabindex="-1"><noscript>This page needs JavaScript. The registry's API is at /v2/.</noscript></main>
            <dialog id="login" aria-labelledby="login-title">
            <form id="login-form">
            <h2 id="login-title">Log in</h2>
            <label>User name <input name="user" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <p id="login-error" class="error" role="alert" hidden></p>
            <div class="buttons"><button type="button" id="login-cancel">Cancel</button><button type="submit" class="primary">Log in</button></div>
            </form>
            </dialog>
            <dialog id="confirm" aria-labelledby="confirm-title">
            <h2 id="confirm-title">Delete?</h2>
            <p id="confirm-message"></p>
            <div class="buttons"><button type="button" id="confirm-cancel" autofocus>Cancel</button><button type="button" id="confirm-delete" class="danger">Delete</button></div>
            </dialog>
            </body>
            </html>
            """;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        var bytes = System.Text.Encoding.UTF8.GetBytes(html);
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }
}
