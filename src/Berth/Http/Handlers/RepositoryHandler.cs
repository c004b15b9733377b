using Berth.Core.Errors;
using Berth.Core.Stores;

namespace Berth.Http.Handlers;

/// <summary>
/// <c>DELETE /v2/&lt;name&gt;/</c>, Berth's extension: the whole repository in one call (see docs/configuration.md,
/// "Repository deletion"). 202 like every other delete; 404 NAME_UNKNOWN when there is no such repository.
/// </summary>
internal sealed class RepositoryHandler(IRegistryStore store)
{
    public async Task DeleteAsync(HttpContext context, V2Route route)
    {
        if (await store.DeleteRepositoryAsync(route.Name, context.RequestAborted) is null)
        {
            throw new RegistryException(RegistryErrorCode.NameUnknown, "repository name not known to registry", route.Name.ToString());
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }
}
