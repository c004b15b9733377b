using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// berth over TLS (the lab's certificate) with <c>auth.token</c> pointing at a <see cref="TokenServer"/> run by the
/// test: realm, service, issuer and the signer's certificate as rootcertbundle. A class fixture, or used directly.
/// </summary>
public sealed class TokenRegistry : IAsyncLifetime
{
    private SecureLab? _lab;
    private TokenServer? _tokens;
    private BerthProcess? _berth;

    internal SecureLab Lab => _lab ?? throw new InvalidOperationException("not started");

    internal TokenServer Tokens => _tokens ?? throw new InvalidOperationException("not started");

    public BerthProcess Berth => _berth ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _lab = await SecureLab.CreateAsync();
        _tokens = TokenServer.Start();
        var bundle = _lab.Combine("token-signer.crt");
        await File.WriteAllTextAsync(bundle, _tokens.CertificatePem, TestContext.Current.CancellationToken);
        _berth = await _lab.StartBerthAsync(new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_TLS_CERTIFICATE"] = _lab.Certificate,
            ["REGISTRY_HTTP_TLS_KEY"] = _lab.Key,
            ["REGISTRY_AUTH"] = "token",
            ["REGISTRY_AUTH_TOKEN_REALM"] = _tokens.Realm,
            ["REGISTRY_AUTH_TOKEN_SERVICE"] = TokenServer.Service,
            ["REGISTRY_AUTH_TOKEN_ISSUER"] = TokenServer.Issuer,
            ["REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE"] = bundle,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        if (_tokens is not null)
        {
            await _tokens.DisposeAsync();
        }

        _lab?.Dispose();
    }
}
