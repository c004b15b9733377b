using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.TestKit;

/// <summary>
/// HTTP clients for a registry serving a self-signed (or test CA) certificate: only that root is trusted, so a test
/// that passes proves the certificate was verified, not ignored.
/// </summary>
public static class TlsTrust
{
    /// <summary>A handler that accepts a server certificate only when it chains to <paramref name="root"/> and names the host.</summary>
    public static SocketsHttpHandler Handler(X509Certificate2 root) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is not X509Certificate2 server)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                // The system does not trust the root, so chain errors are expected here and decided by our own chain.
                return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build(server);
            },
        },
    };
}
