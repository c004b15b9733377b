namespace Microsoft.AspNetCore.BerthTests;

/// <summary>Stands in for ASP.NET Core's internal HostingLogScope and ConnectionLogScope, told apart by namespace.</summary>
internal sealed class AspNetCoreLikeScope : List<KeyValuePair<string, object?>>
{
    public AspNetCoreLikeScope()
    {
        Add(new("ConnectionId", "0HNQ1"));
        Add(new("RequestPath", "/v2/"));
    }
}
