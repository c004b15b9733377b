using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Proxy.Upstream;

/// <summary>The connections to one upstream: pooled, with its TLS rules (<c>tlsverify</c>, <c>cacerts</c>).</summary>
public static class UpstreamTransport
{
    /// <param name="tlsVerify">False accepts any certificate (a lab upstream); the operator chose it.</param>
    /// <param name="caFiles">PEM files of authorities the upstream's certificate may chain to, beside the system's.</param>
    public static SocketsHttpHandler Create(bool tlsVerify, IReadOnlyList<string> caFiles, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = connectTimeout,
            // Docker Hub sends blobs to a CDN; the redirect is followed without the upstream's credentials.
            AllowAutoRedirect = true,
        };
        if (!tlsVerify)
        {
#pragma warning disable CA5359 // Certificates are not checked: that is what tlsverify: false asks for.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (caFiles.Count > 0)
        {
            var authorities = new X509Certificate2Collection();
            foreach (var file in caFiles)
            {
                authorities.ImportFromPemFile(file);
            }

            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is X509Certificate2 leaf
                    && ChainsTo(leaf, authorities));
        }

        return handler;
    }

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
