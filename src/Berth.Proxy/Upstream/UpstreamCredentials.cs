using System.Net.Http.Headers;
using System.Text;

namespace Berth.Proxy.Upstream;

/// <summary>
/// A user name and password for an upstream (<c>proxy.username</c>/<c>password</c>): sent as Basic to the upstream
/// when it asks for Basic, and to its token server when it asks for a Bearer token.
/// </summary>
public sealed class UpstreamCredentials(string username, string password) : IUpstreamCredentialSource
{
    public string Username { get; } = username;

    /// <summary>The <c>Authorization</c> value; never logged (this class has no <c>ToString</c> that shows it).</summary>
    public AuthenticationHeaderValue BasicHeader() =>
        new(AuthenticationChallenge.Basic, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{password}")));

    public override string ToString() => $"{Username}:***";

    public ValueTask<UpstreamCredentials?> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UpstreamCredentials?>(this);
}

/// <summary>Where the credentials for an upstream come from: fixed in the configuration, or a credential helper.</summary>
public interface IUpstreamCredentialSource
{
    /// <returns>The credentials to use now; null pulls anonymously.</returns>
    ValueTask<UpstreamCredentials?> GetAsync(CancellationToken cancellationToken);
}
