using Berth.Configuration;

namespace Berth.Ui;

/// <summary>
/// Where the page lives in the pipeline: the HTML at <c>ui.path</c>, the assets under <c>/ui/assets/</c>, the JSON
/// under <c>/ui/api/</c>, all beside <c>/v2/</c> on the same port and under the same <c>http.prefix</c>.
/// </summary>
internal static class UiEndpoints
{
    public const string Root = "/ui/";

    /// <summary>Whether a request is the page's: those answers carry its security headers.</summary>
    public static bool IsPageRequest(PathString path, UiSettings settings) =>
        path.StartsWithSegments("/ui", StringComparison.Ordinal) || path.Value == settings.Path;

    public static void Map(WebApplication app, UiSettings settings)
    {
        app.Use((context, next) =>
        {
            if (IsPageRequest(context.Request.Path, settings))
            {
                UiPage.AddSecurityHeaders(context.Response);
            }

            return next(context);
        });

        var assets = app.Services.GetRequiredService<UiAssets>();
        var api = app.Services.GetRequiredService<UiApi>();
        app.MapMethods(settings.Path, [HttpMethods.Get, HttpMethods.Head], context => UiPage.ServeAsync(context, assets));
        app.MapMethods("/ui/assets/{name}", [HttpMethods.Get, HttpMethods.Head],
            context => assets.ServeAsync(context, (string)context.Request.RouteValues["name"]!));
        app.MapGet("/ui/api/session", api.SessionAsync);
        app.MapGet("/ui/api/overview", api.OverviewAsync);
        app.MapGet("/ui/api/repositories", api.RepositoriesAsync);
        app.MapGet("/ui/api/repository", api.RepositoryAsync);
        app.MapGet("/ui/api/image", api.ImageAsync);
        app.MapDelete("/ui/api/tag", api.DeleteTagAsync);
        app.MapDelete("/ui/api/image", api.DeleteImageAsync);
    }
}
