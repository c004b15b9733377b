using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// One real berth process per test class, on its own storage root. The root is a subfolder of a temp folder so
/// tests can prove nothing was written beside it.
/// </summary>
public class BerthFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("berth-http");
    private BerthProcess? _berth;
    private HttpClient? _http;

    /// <summary>Deletion is on by default: most classes test it; <see cref="DeletionDisabledFixture"/> turns it off.</summary>
    protected virtual bool DeleteEnabled => true;

    /// <summary>Further REGISTRY_* variables a fixture starts berth with.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    /// <summary>Where <c>v2/</c> is below the server's root: <c>reg/</c> under <c>http.prefix: /reg/</c>.</summary>
    protected virtual string ApiRoot => "";

    /// <summary>The folder that holds <see cref="Root"/> and nothing else.</summary>
    public string Parent => _temp.Path;

    public string Root => _temp.Combine("root");

    public BerthProcess Berth => _berth ?? throw new InvalidOperationException("fixture not started");

    /// <summary>A client that fails any response lacking the API version header (see <see cref="ApiVersionCheck"/>).</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("fixture not started");

    public RegistryClient Registry => new(Http);

    public virtual async ValueTask InitializeAsync()
    {
        var environment = new Dictionary<string, string>(Settings);
        if (DeleteEnabled)
        {
            environment["REGISTRY_STORAGE_DELETE_ENABLED"] = "true";
        }

        _berth = await BerthProcess.StartAsync(Root, environment);
        _http = new HttpClient(new ApiVersionCheck { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = new Uri(_berth.BaseUri, ApiRoot),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A berth started without REGISTRY_STORAGE_DELETE_ENABLED.</summary>
public sealed class DeletionDisabledFixture : BerthFixture
{
    protected override bool DeleteEnabled => false;
}

/// <summary>
/// Every registry response must carry <c>Docker-Distribution-API-Version: registry/2.0</c>, errors included;
/// checking it here covers every request the tests make, not only the ones that assert it by name.
/// </summary>
internal sealed class ApiVersionCheck : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Assert.True(response.Headers.TryGetValues("Docker-Distribution-API-Version", out var values),
            $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} without Docker-Distribution-API-Version");
        Assert.Equal(["registry/2.0"], values);
        return response;
    }
}
